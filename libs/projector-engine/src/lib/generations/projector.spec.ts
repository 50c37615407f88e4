import { Topics, type EventOf } from '@prov/contracts';
import { payloadDigest, signEnvelope } from '@prov/integrity';
import { FileEventLog } from '@prov/event-log';
import { InMemoryLineageStore, LineageStore } from '@prov/lineage-store';
import { VIEW_NAMES } from '@prov/projections';
import { buildProvenanceScenario } from '@prov/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectorMetrics } from '../metrics/projector-metrics';
import { publishScenario, scenarioProjector } from '../projector.test-helper';
import type { Projector } from './projector';

const scenario = buildProvenanceScenario({ predictions: 6000, predictionsPerBatch: 500 });

describe('projector on the embedded file log and the in-process store', () => {
  let directory: string;
  let log: FileEventLog;
  let store: LineageStore;
  let metrics: ProjectorMetrics;
  let projector: Projector;
  let running: Promise<void>;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'projector-'));
    log = await FileEventLog.open(join(directory, 'log'), { fsync: 'never', onConsumerError: () => undefined });
    store = new InMemoryLineageStore();
    metrics = new ProjectorMetrics();
    ({ projector } = await scenarioProjector(log, store, scenario, { metrics }));
    await publishScenario(log, scenario);
    running = projector.runLive();
  }, 60_000);

  afterAll(async () => {
    await projector.stop();
    await running;
    await log.close();
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function activeAndCaughtUp(): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const active = await store.activeGeneration();
      if (active && projector.liveGeneration === active) {
        const saved = await (await store.generation(active)).loadOffsets();
        const folded = saved.reduce((sum, p) => sum + Number(p.offset), 0);
        const onLog = (
          await Promise.all(
            [Topics.training, Topics.registry, Topics.inference].map(async (t) =>
              (await log.offsets(t)).reduce((sum, p) => sum + Number(p.latest), 0),
            ),
          )
        ).reduce((a, b) => a + b, 0);
        if (folded === onLog) return active;
      }
      if (Date.now() > deadline) throw new Error('the live generation did not catch up within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('builds a first generation, activates it once caught up, and dead-letters what is not an event', async () => {
    const active = await activeAndCaughtUp();
    const views = await store.generation(active);
    expect(await views.count('predictions')).toBe(scenario.predictionCount);
    expect(await views.count('model_lineage')).toBe(scenario.modelVersionIds.length);

    const deadLetters = (await log.offsets(Topics.deadLetter)).reduce((sum, p) => sum + Number(p.latest), 0);
    expect(deadLetters).toBe(scenario.poisonCount);
    const exported = await metrics.registry.getSingleMetricAsString('projector_dead_letters_total');
    expect(exported).toContain('reason="unparseable"');
  });

  it('rebuilds into a new generation identical to the live one, and switches to it', async () => {
    const before = await activeAndCaughtUp();
    const rebuilt = await projector.rebuild();
    expect(rebuilt).not.toBe(before);
    expect(await store.activeGeneration()).toBe(rebuilt);
    const [a, b] = [await store.generation(before), await store.generation(rebuilt)];
    for (const view of VIEW_NAMES) {
      expect({ view, docs: await b.find(view, {}) }).toEqual({ view, docs: await a.find(view, {}) });
    }
    expect(await activeAndCaughtUp()).toBe(rebuilt);
    // The rebuild refused the same messages, and did not dead-letter them again.
    const deadLetters = (await log.offsets(Topics.deadLetter)).reduce((sum, p) => sum + Number(p.latest), 0);
    expect(deadLetters).toBe(scenario.poisonCount);
  });

  it('joins a rebuild under way when asked for another, rather than beginning a second one', async () => {
    await activeAndCaughtUp();
    const [first, second] = await Promise.all([projector.beginRebuild(), projector.beginRebuild()]);
    expect(second.generation).toBe(first.generation);
    expect(await second.done).toBe(await first.done);
    expect(await store.activeGeneration()).toBe(first.generation);
    expect((await store.generations()).filter((g) => g.kind === 'live').length).toBeLessThanOrEqual(2);
  });

  it('folds only events recorded up to the as-of time into an audit generation, never activated', async () => {
    const result = await projector.auditRebuild(scenario.betweenFlags, 'before-late-flag');
    expect(result.generation).toBe('audit-before-late-flag');
    const audit = await store.generation(result.generation);
    const flagged = async (sliceId: string) =>
      ((await audit.get('slice_impact', [sliceId])).get(sliceId) as Record<string, unknown>)['flagged'];
    expect(await flagged(scenario.earlyFlag.sliceId)).toBe(true);
    expect(await flagged(scenario.lateFlag.sliceId)).toBe(false);
    expect(await audit.count('predictions')).toBeLessThan(scenario.predictionCount);
    expect(await store.activeGeneration()).not.toBe(result.generation);
    const info = (await store.generations()).find((g) => g.name === result.generation);
    expect(info).toMatchObject({ kind: 'audit', asOf: scenario.betweenFlags, caughtUpAt: expect.any(String) });
  });

  it('builds one audit generation at a time: another asked for meanwhile is a conflict naming it', async () => {
    const first = await projector.beginAuditRebuild(scenario.betweenFlags, 'one-at-a-time');
    await expect(projector.beginAuditRebuild(scenario.betweenFlags, 'meanwhile')).rejects.toMatchObject({
      kind: 'conflict',
      running: 'audit-one-at-a-time',
    });
    await expect(projector.beginAuditRebuild(scenario.betweenFlags, 'one-at-a-time')).rejects.toMatchObject({
      kind: 'conflict',
    });
    await first.done;
    const next = await projector.beginAuditRebuild(scenario.betweenFlags, 'afterwards');
    await next.done;
    expect((await store.generations()).map((g) => g.name)).not.toContain('audit-meanwhile');
  });

  it('refuses an audit name or an as-of time it could not use', async () => {
    await expect(projector.auditRebuild('yesterday', 'x')).rejects.toThrow(/RFC 3339/);
    await expect(projector.auditRebuild(scenario.betweenFlags, 'Not Valid')).rejects.toThrow(/\[a-z0-9-\]/);
  });

  it('folds a copy of an accepted event as a replay, and dead-letters one with other content or headers', async () => {
    const active = await activeAndCaughtUp();
    const views = await store.generation(active);
    const before = await Promise.all(VIEW_NAMES.map((view) => views.find(view, {})));
    const metric = async (name: string) => (await metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
    const applied = (await metric('projector_events_applied_total')).reduce((sum, v) => sum + v.value, 0);

    const message = scenario.messages.find((m) => m.topic === Topics.inference && m.value.includes('"prediction.'));
    if (!message) throw new Error('the scenario has no prediction batch');
    const batch = JSON.parse(message.value.toString('utf8')) as EventOf<'prediction.batch.recorded'>;
    const fewer = { ...batch.payload, predictions: batch.payload.predictions.slice(1) };
    const signer = scenario.signers['inference-service'];
    const conflicting = signEnvelope(
      { ...batch, payload: fewer, integrity: { payloadDigest: payloadDigest(fewer) } },
      signer.privateKey,
      signer.keyId,
    );
    const deadLettersBefore = await deadLetterCount();
    await log.publish(Topics.inference, [
      { key: batch.subject, value: Buffer.from(JSON.stringify(batch, null, 1)) },
      { key: batch.subject, value: Buffer.from(JSON.stringify(conflicting)) },
      {
        key: batch.subject,
        value: message.value,
        headers: { 'event-type': 'model.promoted', 'schema-version': String(batch.schemaVersion) },
      },
    ]);
    await activeAndCaughtUp();

    expect(await Promise.all(VIEW_NAMES.map((view) => views.find(view, {})))).toEqual(before);
    expect(await deadLetterCount()).toBe(deadLettersBefore + 2);
    expect((await metric('projector_events_applied_total')).reduce((sum, v) => sum + v.value, 0)).toBe(applied);
    expect(await metric('projector_events_replayed_total')).toContainEqual(
      expect.objectContaining({ value: 1, labels: { generation: active, type: 'prediction.batch.recorded' } }),
    );
    const reasons = await metric('projector_dead_letters_total');
    for (const reason of ['conflicting-event', 'invalid-envelope']) {
      expect(reasons).toContainEqual(expect.objectContaining({ labels: { generation: active, reason } }));
    }
  });

  async function deadLetterCount(): Promise<number> {
    return (await log.offsets(Topics.deadLetter)).reduce((sum, p) => sum + Number(p.latest), 0);
  }
});

describe('audit generations kept', () => {
  it('keeps the latest ones, as many as asked, and drops older ones once a new one holds its events', async () => {
    const small = buildProvenanceScenario({ predictions: 200, predictionsPerBatch: 100 });
    const directory = await mkdtemp(join(tmpdir(), 'projector-audits-'));
    const log = await FileEventLog.open(join(directory, 'log'), { fsync: 'never', onConsumerError: () => undefined });
    const store = new InMemoryLineageStore();
    const { projector } = await scenarioProjector(log, store, small, { auditGenerationsKept: 2 });
    await publishScenario(log, small);
    try {
      for (const name of ['first', 'second', 'third']) await projector.auditRebuild(small.betweenFlags, name);
      const audits = (await store.generations()).filter((g) => g.kind === 'audit').map((g) => g.name);
      expect(audits.sort()).toEqual(['audit-second', 'audit-third']);
    } finally {
      await projector.stop();
      await log.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
