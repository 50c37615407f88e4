import { verifyBundle, type AuditBundle } from '@prov/audit';
import { Topics, type EventEnvelope } from '@prov/contracts';
import { KafkaEventLog, NamespacedEventLog } from '@prov/event-log';
import { digestOf } from '@prov/integrity';
import type { PredictionTrace } from '@prov/lineage-queries';
import { ProvenanceApiError, ProvenanceClient } from '@prov/sdk';
import { integrationEnv, readEvents, uniqueName } from '@prov/testing';
import { createHash } from 'node:crypto';
import { prov } from './prov-command';
import { eventually } from './eventually';
import { RunningServices, productionEnv } from '@prov/platform-testing';

/**
 * Erasure by crypto-shredding, end to end on real Kafka and FerretDB with
 * every service its own process: what a prediction says about a person is
 * sealed with that person's key before it reaches Kafka; auditors see it,
 * viewers its digest; once a data steward erases the person, everyone sees
 * the digest only, while the events, their digests and signatures, the
 * audit log and an audit bundle of the prediction still verify.
 */
const { kafkaBrokers } = integrationEnv();
const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('privacy: sealed values and erasure on the production services', () => {
  const services = new RunningServices();
  const topicPrefix = `${uniqueName('privacy')}.`;
  let log: NamespacedEventLog;
  let scorer: ProvenanceClient;
  let steward: ProvenanceClient;

  beforeAll(async () => {
    await services.start(['inference-service', 'projector', 'query-gateway'], {
      ...productionEnv('privacy', topicPrefix),
      // A checkpoint after every few events, so that a bundle can be made as soon as the views have them.
      PROV_AUDIT_CHECKPOINT_EVERY: '1',
      PROV_AUDIT_CHECKPOINT_SECONDS: '1',
    });
    log = new NamespacedEventLog(
      await KafkaEventLog.connect({ clientId: 'privacy-reader', brokers: kafkaBrokers }),
      topicPrefix,
    );
    scorer = services.client('ml-service');
    steward = services.client('data-steward');
  }, 300_000);

  afterAll(async () => {
    await log?.close();
    await services.stop();
  });

  const gateway = async <T>(path: string, role: 'auditor' | 'viewer' = 'auditor') => {
    const response = await fetch(`${services.urls['query-gateway']}${path}`, {
      headers: { authorization: `Bearer ${services.tokens[role]}` },
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const trace = (id: string, role: 'auditor' | 'viewer' = 'auditor') =>
    eventually(`the trace of ${id}`, async () => {
      const answer = await gateway<PredictionTrace>(`/v1/predictions/${id}/trace?level=full`, role);
      return answer.status === 200 ? answer.body : undefined;
    });

  it('seals what a prediction says about a person, and erases it for good without breaking any proof', async () => {
    const alice = { output: { churn: 0.91, segment: 'at-risk' }, featureSnapshot: 'feast:churn/alice-2026-11-05' };
    const bob = { output: { churn: 0.12, segment: 'loyal' }, featureSnapshot: 'feast:churn/bob-2026-11-05' };
    await scorer.predictions.recordBatch({
      deployment: 'churn-api',
      modelVersionId: 'model:churn@1',
      artifactDigest: sha('artifact'),
      predictions: [
        {
          id: 'about-alice',
          at: '2026-11-05T10:00:00Z',
          inputDigest: sha('alice'),
          dataSubject: 'alice-4711',
          ...alice,
        },
        { id: 'about-bob', at: '2026-11-05T10:00:01Z', inputDigest: sha('bob'), dataSubject: 'bob-0815', ...bob },
        { id: 'about-nobody', at: '2026-11-05T10:00:02Z', inputDigest: sha('anon'), output: { churn: 0.5 } },
      ],
    });

    // 1. Nothing about a person reaches Kafka in the clear: only sealed values, named by their digests.
    const [recorded] = (await readEvents(log, Topics.inference)).filter((e) => e.type === 'prediction.batch.recorded');
    const published = JSON.stringify(recorded);
    // Nor is a person named: the subject is logged as a keyed pseudonym.
    for (const secret of ['at-risk', 'loyal', 'feast:churn/alice', 'feast:churn/bob', 'alice-4711', 'bob-0815']) {
      expect(published).not.toContain(secret);
    }
    expect(recorded.schemaVersion).toBe(2);
    const [aboutAlice, aboutBob, aboutNobody] = (recorded.payload as { predictions: Array<Record<string, unknown>> })
      .predictions;
    const pseudonym = aboutAlice['dataSubject'] as string;
    expect(pseudonym).toMatch(/^psn:[0-9a-f]{64}$/);
    expect(aboutBob['dataSubject']).not.toBe(pseudonym);
    expect(aboutAlice).toMatchObject({
      outputDigest: digestOf(alice.output),
      sealedOutput: { alg: 'A256GCM', digest: digestOf(alice.output) },
      sealedFeatureSnapshot: { digest: digestOf(alice.featureSnapshot) },
    });
    expect(aboutAlice).not.toHaveProperty('output');
    expect(aboutBob).toMatchObject({ sealedOutput: { digest: digestOf(bob.output) } });
    expect(aboutNobody).toMatchObject({ output: { churn: 0.5 } });

    // 2. Auditors see the values, opened with the person's key; viewers their digests.
    expect((await trace('pred:about-alice')).prediction).toMatchObject({ dataSubject: pseudonym, ...alice });
    expect((await trace('pred:about-alice', 'viewer')).prediction).toMatchObject({
      dataSubject: { redacted: true, digest: digestOf(pseudonym) },
      output: { redacted: true, digest: digestOf(alice.output) },
      featureSnapshot: { redacted: true, digest: digestOf(alice.featureSnapshot) },
    });

    // 3. Only a data steward erases; a malformed subject id is a 400 naming it.
    const refused = await services
      .client('viewer')
      .predictions.eraseSubject('alice-4711', { reason: 'request 2026-118' })
      .catch((e: ProvenanceApiError) => e);
    expect(refused).toMatchObject({ status: 403 });
    const malformed = await steward.predictions
      .eraseSubject('../alice', { reason: 'request 2026-118' })
      .catch((e: ProvenanceApiError) => e);
    expect(malformed).toMatchObject({ status: 400 });
    const erased = await steward.predictions.eraseSubject('alice-4711', { reason: 'request 2026-118' });
    expect(erased).toMatchObject({ dataSubject: 'alice-4711', pseudonym });
    expect(erased.keysDestroyed).toEqual([(aboutAlice['sealedOutput'] as { keyId: string }).keyId]);
    const erasures = await eventually('the erasure on Kafka', async () => {
      const found = (await readEvents(log, Topics.inference)).filter((e) => e.type === 'privacy.subject.erased');
      return found.length > 0 ? found : undefined;
    });
    expect(erasures.map((e: EventEnvelope) => e.payload)).toEqual([
      { dataSubject: pseudonym, keyIds: erased.keysDestroyed, reason: 'request 2026-118' },
    ]);
    // Erasing again answers the earlier erasure and records nothing; a subject never seen is not found.
    const again = await steward.predictions.eraseSubject('alice-4711', { reason: 'request 2026-119' });
    expect(again).toEqual({
      dataSubject: 'alice-4711',
      pseudonym,
      keysDestroyed: erased.keysDestroyed,
      erasedAt: expect.any(String),
    });
    const unknown = await steward.predictions
      .eraseSubject('carol-0000', { reason: 'request 2026-120' })
      .catch((e: ProvenanceApiError) => e);
    expect(unknown).toMatchObject({ status: 404 });

    // 4. From now on even auditors see the digests only, marked erased; other people's values are untouched.
    const after = await trace('pred:about-alice');
    expect(after.prediction).toMatchObject({
      output: { redacted: true, digest: digestOf(alice.output), erased: true },
      featureSnapshot: { redacted: true, digest: digestOf(alice.featureSnapshot), erased: true },
    });
    expect(JSON.stringify(after)).not.toContain('at-risk');
    expect((await trace('pred:about-bob')).prediction).toMatchObject(bob);
    // A rotation of the key-encryption key leaves the keys of others opening, through the gateway too.
    const rotation = await steward.predictions.rotateKeyEncryptionKey({ reason: 'completes request 2026-118' });
    expect(rotation).toMatchObject({ rewrapped: 1, retired: [expect.stringMatching(/^kek:/)] });
    expect((await trace('pred:about-bob')).prediction).toMatchObject(bob);
    const provJson = await gateway<unknown>('/v1/predictions/pred:about-alice/trace.prov.json?level=full');
    expect(provJson.status).toBe(200);
    expect(JSON.stringify(provJson.body)).not.toContain('at-risk');

    // 5. The record still verifies: the bundle of the erased prediction (events as published, proofs, checkpoints) ...
    const bundle = await eventually('a bundle of the erased prediction', async () => {
      const answer = await gateway<AuditBundle>('/v1/audit/predictions/pred:about-alice/bundle?level=full');
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(JSON.stringify(bundle)).not.toContain('at-risk');
    expect(await verifyBundle(bundle)).toMatchObject({ ok: true });
    // ... and would not if its trace showed another value in place of the erased one.
    const forged = structuredClone(bundle) as AuditBundle & { trace: PredictionTrace };
    forged.trace.prediction.output = { redacted: true, digest: digestOf({ churn: 0.1 }), erased: true };
    expect(await verifyBundle(forged)).toMatchObject({ ok: false, divergence: { kind: 'trace-field' } });
    // The whole audit log, the erasure included, verifies against its signed checkpoints.
    const env = { PROV_GATEWAY_URL: services.urls['query-gateway'], PROV_API_KEY: services.tokens.auditor };
    const report = await eventually('the audit log to cover the erasure', async () => {
      const result = await prov(['audit', 'verify', '--json'], env);
      const parsed = JSON.parse(result.stdout) as {
        ok: boolean;
        logs: Array<{ events: number; verifiedTreeSize: number }>;
      };
      const covered = parsed.logs.reduce((sum, l) => sum + l.verifiedTreeSize, 0) >= 2;
      return result.code === 0 && covered ? parsed : undefined;
    });
    expect(report.ok).toBe(true);
  }, 300_000);
});
