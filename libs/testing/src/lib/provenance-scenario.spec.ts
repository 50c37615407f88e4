import { EVENT_CATALOG, validateEnvelope } from '@prov/contracts';
import { verifyEnvelope } from '@prov/integrity';
import { buildProvenanceScenario } from './provenance-scenario';

describe('the provenance scenario', () => {
  const scenario = buildProvenanceScenario({ predictions: 5000, predictionsPerBatch: 500 });
  const events = scenario.messages.flatMap((m) => (m.event ? [m.event] : []));

  it('is made of valid events, each signed by its producer, on its own topic and key', () => {
    const keys = Object.values(scenario.signers);
    for (const message of scenario.messages.filter((m) => m.event)) {
      const event = JSON.parse(message.value.toString());
      expect(validateEnvelope(event)).toMatchObject({ ok: true });
      expect(verifyEnvelope(event, (id) => keys.find((k) => k.keyId === id)?.publicKey)).toEqual({
        ok: true,
        signed: true,
      });
      expect(message.topic).toBe(EVENT_CATALOG[event.type as keyof typeof EVENT_CATALOG].topic);
      expect(message.key).toBe(event.subject);
    }
  });

  it('has the promised shape, with strictly increasing recording times and two flags around a time between them', () => {
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count('dataset.registered')).toBe(5);
    expect(count('dataset.slice.defined')).toBe(40);
    expect(count('training.run.started')).toBe(20);
    expect(count('model.version.registered')).toBe(30);
    expect(count('deployment.created')).toBe(6);
    expect(count('deployment.revised')).toBeGreaterThan(0);
    expect(scenario.predictionCount).toBe(5000);
    const times = events.map((e) => Date.parse(e.recordedAt));
    expect(times.every((t, i) => i === 0 || t > times[i - 1])).toBe(true);
    expect(scenario.earlyFlag.recordedAt < scenario.betweenFlags).toBe(true);
    expect(scenario.betweenFlags < scenario.lateFlag.recordedAt).toBe(true);
    expect(scenario.messages.filter((m) => !m.event)).toHaveLength(scenario.poisonCount);
  });

  it('sends some prediction ids again, a third with the same content and the others contradicting it', () => {
    const resending = buildProvenanceScenario({ predictions: 3000, predictionsPerBatch: 300, resendEvery: 10 });
    const records = new Map<string, Array<{ deploymentId: string; outputDigest?: string }>>();
    for (const { event } of resending.messages) {
      if (event?.type !== 'prediction.batch.recorded') continue;
      const { deploymentId, predictions } = event.payload as {
        deploymentId: string;
        predictions: Array<{ predictionId: string; outputDigest?: string }>;
      };
      for (const p of predictions)
        records.set(p.predictionId, [
          ...(records.get(p.predictionId) ?? []),
          { deploymentId, outputDigest: p.outputDigest },
        ]);
    }
    expect(records.size).toBe(resending.predictionCount);
    expect(resending.resentIds).toHaveLength(300);
    expect(resending.conflictingIds).toHaveLength(200);
    for (const id of resending.resentIds) expect(records.get(id)).toHaveLength(2);
    const contradicted = [...records].filter(
      ([, [first, second]]) => second && JSON.stringify(first) !== JSON.stringify(second),
    );
    expect(contradicted.map(([id]) => id).sort()).toEqual([...resending.conflictingIds].sort());
  });
});
