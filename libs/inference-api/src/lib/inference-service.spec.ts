import { generateApiKey } from '@prov/auth';
import { Topics, validateEnvelope, type SealedValue } from '@prov/contracts';
import { digestOf, openSealedValue, payloadDigest, verifyEnvelope } from '@prov/integrity';
import { InMemoryKeyEncryptionKeys, InMemorySubjectKeyStore } from '@prov/lineage-store';
import { ProducerServiceUnderTest, readEvents, startProducerServiceUnderTest } from '@prov/testing';
import { validatePolicy } from '@prov/governance';
import type { ProducerServiceDependencies } from '@prov/http-service';
import { createInferenceService } from './inference-service';

// Raw outputs of credit-api are never recorded; churn-api's may be.
const policies = [
  validatePolicy(
    {
      apiVersion: 'provenance/v1',
      kind: 'ProvenancePolicy',
      metadata: { name: 'private-scoring' },
      spec: { captureLevel: 'standard', outputs: 'digest-only', appliesTo: { deployments: ['credit-api'] } },
    },
    'private-scoring',
  ),
];

const serving = generateApiKey('svc-churn', ['ml-service']);
const engineer = generateApiKey('bob', ['model-engineer']);
const digest = (c: string) => `sha256:${c.repeat(64)}`;

const batch = (n: number, extra: Record<string, unknown> = {}, prefix = 'req') => ({
  deployment: 'churn-api',
  modelVersionId: 'model:churn@3.1.0',
  artifactDigest: digest('9'),
  predictions: Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    at: '2026-11-04T12:00:00.123Z',
    inputDigest: digest('3'),
    outputDigest: digest('4'),
  })),
  ...extra,
});

describe('inference service', () => {
  let service: ProducerServiceUnderTest;
  beforeEach(async () => {
    const create = (deps: ProducerServiceDependencies) => createInferenceService(deps, { policies });
    service = await startProducerServiceUnderTest(create, [serving.record, engineer.record], {
      bodyLimitBytes: 8 * 1024 * 1024,
    });
  });
  afterEach(() => service.close());

  const post = (body: unknown, token = serving.token, headers: Record<string, string> = {}) =>
    service.post('/v1/predictions:batch', body, token, headers);
  const batches = () => readEvents(service.log, Topics.inference);

  it('publishes a batch of 10,000 predictions as one signed event, after the log acknowledged', async () => {
    const res = await post(batch(10_000));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      accepted: 10_000,
      batchId: expect.stringMatching(/^batch:[0-9a-f-]{36}$/),
      duplicates: [],
    });
    const [event, ...more] = await batches();
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      type: 'prediction.batch.recorded',
      subject: res.json().batchId,
      producer: { service: 'inference-service', principal: 'svc-churn' },
    });
    expect(validateEnvelope(event).ok).toBe(true);
    expect(event.integrity.payloadDigest).toBe(payloadDigest(event.payload));
    expect(verifyEnvelope(event, () => service.keys.publicKey, { requireSignature: true })).toEqual({
      ok: true,
      signed: true,
    });
    const payload = event.payload as { deploymentId: string; predictions: Array<{ predictionId: string }> };
    expect(payload.deploymentId).toBe('deployment:churn-api');
    expect(payload.predictions[9_999]).toEqual({
      predictionId: 'pred:req-9999',
      at: '2026-11-04T12:00:00.123Z',
      inputDigest: digest('3'),
      outputDigest: digest('4'),
    });
  });

  it('answers a retried batch with the same Idempotency-Key as recorded in its batch, publishing it once', async () => {
    const first = await post(batch(3), serving.token, { 'idempotency-key': 'b-1' });
    const retry = await post(batch(3), serving.token, { 'idempotency-key': 'b-1' });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({
      accepted: 0,
      duplicate: true,
      duplicates: ['pred:req-0', 'pred:req-1', 'pred:req-2'],
      batchId: first.json().batchId,
    });
    expect(await batches()).toHaveLength(1);
  });

  it('documents each answer of POST /v1/predictions:batch with its schema', async () => {
    const document = (await service.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    const { responses } = document.paths['/v1/predictions:batch'].post;
    expect(Object.keys(responses).sort()).toEqual([
      '200',
      '201',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      '422',
      '503',
    ]);
    const schemaOf = (status: string) => {
      const { $ref } = responses[status].content['application/json'].schema;
      return document.components.schemas[$ref.replace('#/components/schemas/', '')];
    };
    expect(schemaOf('201').required).toEqual(['accepted', 'batchId', 'duplicates']);
    expect(schemaOf('200').required).toEqual(['accepted', 'duplicate', 'duplicates', 'batchId']);
    for (const status of ['400', '401', '403', '413', '422', '503'])
      expect(schemaOf(status).required).toEqual(['error']);
    const conflict = schemaOf('409').properties.error.$ref.replace('#/components/schemas/', '');
    const detail = document.components.schemas[conflict].properties.details.items.$ref.replace(
      '#/components/schemas/',
      '',
    );
    expect(document.components.schemas[detail].required).toEqual(
      expect.arrayContaining(['path', 'problem', 'predictionId', 'fields', 'earlierBatchId']),
    );
  });

  it.each([
    [
      'a missing input digest',
      () => {
        const b = batch(3);
        delete (b.predictions[2] as Record<string, unknown>)['inputDigest'];
        return b;
      },
      'predictions[2].inputDigest',
    ],
    ['an unknown field', () => batch(2, { $where: 'sleep(100)' }), '$where'],
    [
      'a dotted field in a prediction',
      () => {
        const b = batch(2);
        (b.predictions[1] as Record<string, unknown>)['output.value'] = 1;
        return b;
      },
      'predictions[1]["output.value"]',
    ],
    ['a wrong type', () => batch(1, { artifactDigest: 42 }), 'artifactDigest'],
    [
      'a malformed time',
      () => {
        const b = batch(2);
        b.predictions[0].at = '04/11/2026';
        return b;
      },
      'predictions[0].at',
    ],
    ['an empty batch', () => batch(0), 'predictions'],
    ['more than 10,000 predictions', () => batch(10_001), 'predictions'],
    [
      'a prediction id sent twice',
      () => {
        const b = batch(3);
        b.predictions[2].id = 'req-0';
        return b;
      },
      'predictions[2].id',
    ],
  ])('refuses %s with its path and publishes nothing', async (_name, body, path) => {
    const res = await post(body());
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await batches()).toEqual([]);
  });

  it('refuses invalid UTF-8 and lone surrogates', async () => {
    const invalidUtf8 = Buffer.concat([Buffer.from('{"deployment":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect((await post(invalidUtf8)).statusCode).toBe(400);
    const surrogate = JSON.stringify(batch(1)).replace('"req-0"', '"req-0","output":"\\ud800"');
    expect((await post(surrogate)).statusCode).toBe(400);
    expect(await batches()).toEqual([]);
  });

  it('answers 413 to a body over the limit', async () => {
    const res = await post(JSON.stringify(batch(1)).padEnd(9 * 1024 * 1024, ' '));
    expect(res.statusCode).toBe(413);
    expect(await batches()).toEqual([]);
  });

  it('answers 413 naming each raw output over PROV_MAX_OUTPUT_BYTES (64 KiB by default), publishing nothing', async () => {
    const body = batch(3, { deployment: 'churn-api' }, 'big');
    const [first, second, third] = body.predictions as Array<Record<string, unknown>>;
    first['output'] = { label: 'churn', scores: [0.1, 0.9] };
    second['output'] = 'x'.repeat(64 * 1024);
    third['output'] = { text: 'y'.repeat((30 * 1024 * 1024) / 10) };
    const res = await post(body);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual([
      'predictions[1].output',
      'predictions[2].output',
    ]);
    expect(await batches()).toEqual([]);
    second['output'] = 'x'.repeat(64 * 1024 - 2);
    third['output'] = 0.5;
    expect((await post(body)).statusCode).toBe(201);
  });

  it('accepts predictions only from serving processes', async () => {
    expect((await post(batch(1), engineer.token)).statusCode).toBe(403);
    expect(await batches()).toEqual([]);
  });

  it('refuses raw outputs of a deployment whose policy allows only their digests, naming each one', async () => {
    const withOutputs = (deployment: string) => {
      const body = batch(3, { deployment }, deployment);
      const [first, second, third] = body.predictions as Array<Record<string, unknown>>;
      second['output'] = { score: 0.7 };
      third['output'] = 0.1;
      return { ...body, predictions: [first, second, third] };
    };
    const refused = await post(withOutputs('credit-api'));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toEqual([
      {
        path: 'predictions[1].output',
        problem: expect.stringContaining('policy private-scoring: outputs digest-only'),
      },
      { path: 'predictions[2].output', problem: expect.stringContaining('send outputDigest instead') },
    ]);
    expect(await batches()).toEqual([]);
    expect((await post(batch(3, { deployment: 'deployment:credit-api' }, 'digests'))).statusCode).toBe(201);
    expect((await post(withOutputs('churn-api'))).statusCode).toBe(201);
    expect((await batches()).map((e) => (e.payload as { deploymentId: string }).deploymentId)).toEqual([
      'deployment:credit-api',
      'deployment:churn-api',
    ]);
  });

  describe('predictions about a data subject', () => {
    const steward = generateApiKey('carol', ['data-steward']);
    let keys: InMemorySubjectKeyStore;
    let keks: InMemoryKeyEncryptionKeys;
    let sealing: ProducerServiceUnderTest;
    beforeEach(async () => {
      keks = new InMemoryKeyEncryptionKeys();
      keys = new InMemorySubjectKeyStore(keks);
      sealing = await startProducerServiceUnderTest(
        (deps) => createInferenceService(deps, { policies, subjectKeys: { store: keys, keks } }),
        [serving.record, steward.record, engineer.record],
      );
    });
    afterEach(() => sealing.close());

    const about = (dataSubject: string, output: unknown, featureSnapshot?: string, id = `req-${dataSubject}`) => ({
      ...batch(1),
      predictions: [
        {
          id,
          at: '2026-11-04T12:00:00Z',
          inputDigest: digest('3'),
          dataSubject,
          output,
          featureSnapshot,
        },
      ],
    });

    it('seals output and feature snapshot with the subject key before publishing, and names them by digest', async () => {
      expect(
        (await sealing.post('/v1/predictions:batch', about('alice', { score: 0.7 }, 'feast:alice'), serving.token))
          .statusCode,
      ).toBe(201);
      const [event] = await readEvents(sealing.log, Topics.inference);
      const [recorded] = (event.payload as { predictions: Array<Record<string, unknown>> }).predictions;
      expect(recorded).not.toHaveProperty('output');
      expect(recorded).not.toHaveProperty('featureSnapshot');
      expect(JSON.stringify(event)).not.toContain('feast:alice');
      const { keyId, key } = await keys.activeKey(await keks.pseudonym('alice'));
      const sealedOutput = recorded['sealedOutput'] as SealedValue;
      // The subject is logged as its pseudonym, never by its id.
      expect(recorded).toMatchObject({
        dataSubject: expect.stringMatching(/^psn:[0-9a-f]{64}$/),
        outputDigest: digestOf({ score: 0.7 }),
      });
      expect(recorded['dataSubject']).toBe(await keks.pseudonym('alice'));
      expect(JSON.stringify(event)).not.toContain('"alice"');
      expect(sealedOutput.keyId).toBe(keyId);
      expect(openSealedValue(sealedOutput, key, 'pred:req-alice#output')).toEqual({ score: 0.7 });
      expect(
        openSealedValue(recorded['sealedFeatureSnapshot'] as SealedValue, key, 'pred:req-alice#featureSnapshot'),
      ).toBe('feast:alice');
      expect(validateEnvelope(event)).toEqual({ ok: true, value: event });
    });

    it('lets a data steward erase a subject: its keys are destroyed and the erasure is recorded', async () => {
      await sealing.post('/v1/predictions:batch', about('alice', 1), serving.token);
      const { keyId } = await keys.activeKey(await keks.pseudonym('alice'));
      expect((await sealing.post('/v1/subjects/alice/erasure', {}, serving.token)).statusCode).toBe(403);
      const bad = await sealing.post('/v1/subjects/a%2F..%2Fb/erasure', { reason: 'request 7' }, steward.token);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details).toEqual([{ path: 'dataSubject', problem: expect.any(String) }]);
      const unexplained = await sealing.post('/v1/subjects/alice/erasure', {}, steward.token);
      expect(unexplained.statusCode).toBe(400);
      expect(new Set(unexplained.json().error.details.map((d: { path: string }) => d.path))).toEqual(
        new Set(['reason']),
      );
      expect((await keys.keys([keyId])).get(keyId)?.state).toBe('active');
      const erased = await sealing.post('/v1/subjects/alice/erasure', { reason: 'request 7' }, steward.token);
      expect(erased.statusCode).toBe(201);
      expect(erased.json()).toEqual({
        dataSubject: 'alice',
        pseudonym: await keks.pseudonym('alice'),
        keysDestroyed: [keyId],
        erasedAt: expect.any(String),
        eventId: expect.any(String),
      });
      expect((await keys.keys([keyId])).get(keyId)?.state).toBe('destroyed');
      const events = await readEvents(sealing.log, Topics.inference);
      expect(events.map((e) => [e.type, e.payload])).toEqual([
        ['prediction.batch.recorded', expect.anything()],
        [
          'privacy.subject.erased',
          { dataSubject: await keks.pseudonym('alice'), keyIds: [keyId], reason: 'request 7' },
        ],
      ]);
      // A later prediction about the same person is sealed with a new key.
      await sealing.post('/v1/predictions:batch', about('alice', 2, undefined, 'req-alice-later'), serving.token);
      const later = (await readEvents(sealing.log, Topics.inference))[2].payload as {
        predictions: Array<{ sealedOutput: SealedValue }>;
      };
      expect(later.predictions[0].sealedOutput.keyId).not.toBe(keyId);
    });

    it('answers a repeated erasure with the earlier one, recording nothing, and refuses a subject it never saw', async () => {
      await sealing.post('/v1/predictions:batch', about('alice', 1), serving.token);
      const first = await sealing.post('/v1/subjects/alice/erasure', { reason: 'request 7' }, steward.token);
      const again = await sealing.post('/v1/subjects/alice/erasure', { reason: 'request 8' }, steward.token);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({
        dataSubject: 'alice',
        pseudonym: await keks.pseudonym('alice'),
        keysDestroyed: first.json().keysDestroyed,
        erasedAt: expect.any(String),
      });
      const unknown = await sealing.post('/v1/subjects/bob/erasure', { reason: 'request 9' }, steward.token);
      expect(unknown.statusCode).toBe(404);
      const erasures = (await readEvents(sealing.log, Topics.inference)).filter(
        (e) => e.type === 'privacy.subject.erased',
      );
      expect(erasures).toHaveLength(1);
    });

    it('rotates the key-encryption key for a data steward: live keys still open, the old key-encryption key is gone', async () => {
      await sealing.post('/v1/predictions:batch', about('alice', 1), serving.token);
      const { keyId, key } = await keys.activeKey(await keks.pseudonym('alice'));
      const before = await keks.currentId();
      const why = { reason: 'erasures of week 49' };
      expect((await sealing.post('/v1/key-encryption-keys/rotation', why, serving.token)).statusCode).toBe(403);
      const unexplained = await sealing.post('/v1/key-encryption-keys/rotation', {}, steward.token);
      expect(unexplained.statusCode).toBe(400);
      expect(await keks.currentId()).toBe(before);
      const rotated = await sealing.post('/v1/key-encryption-keys/rotation', why, steward.token);
      expect(rotated.statusCode).toBe(200);
      expect(rotated.json()).toEqual({ current: await keks.currentId(), rewrapped: 1, retired: [before] });
      const state = (await keys.keys([keyId])).get(keyId);
      expect(state?.state === 'active' && state.key.equals(key)).toBe(true);
    });
  });

  it('refuses predictions about a data subject when it has no key store, naming the field', async () => {
    const res = await post({
      ...batch(1),
      predictions: [{ id: 'r', at: '2026-11-04T12:00:00Z', inputDigest: digest('3'), dataSubject: 'alice', output: 1 }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([{ path: 'predictions[0].dataSubject', problem: expect.any(String) }]);
    expect(await batches()).toEqual([]);
  });
});
