import { Principal, generateApiKey } from '@prov/auth';
import { EXAMPLE_PAYLOADS, Topics, validateEnvelope } from '@prov/contracts';
import { dataSliceId, datasetVersionId, payloadDigest, verifyEnvelope } from '@prov/integrity';
import { ProvenancePublisher } from '@prov/publishing';
import { ProducerServiceUnderTest, readEvents, startProducerServiceUnderTest } from '@prov/testing';
import { createTrainingService } from './training-service';

const steward = generateApiKey('alice', ['data-steward']);
const engineer = generateApiKey('bob', ['model-engineer']);
const inference = generateApiKey('svc-inference', ['ml-service']);
const viewer = generateApiKey('victor', ['viewer']);
const hex = (c: string) => c.repeat(64);

const parts = [
  { path: 'part-0001.parquet', sizeBytes: 524288, sha256: hex('2') },
  { path: 'part-0000.parquet', sizeBytes: 1048576, sha256: hex('1') },
];
const DSV = datasetVersionId(parts);
const criteria = { sampling: { fraction: 0.8, seed: 42 }, source: 'web' };
const SLICE = dataSliceId(DSV, criteria);

describe('training service', () => {
  let service: ProducerServiceUnderTest;
  let log: ProducerServiceUnderTest['log'];
  beforeEach(async () => {
    service = await startProducerServiceUnderTest(
      createTrainingService,
      [steward, engineer, inference, viewer].map((k) => k.record),
    );
    log = service.log;
  });
  afterEach(() => service.close());

  const post = (url: string, body: unknown, token: string, headers: Record<string, string> = {}) =>
    service.post(url, body, token, headers);
  const eventsOn = (topic: string) => readEvents(log, topic);

  async function registerDatasetAndVersion() {
    expect(
      (await post('/v1/datasets', { namespace: 'crm', name: 'events', owner: 'data@example.com' }, steward.token))
        .statusCode,
    ).toBe(201);
    const version = await post(
      '/v1/datasets/dataset:crm%2Fevents/versions',
      { parts, source: 's3://lake/crm/events/', rowCount: 10 },
      steward.token,
    );
    expect(version.statusCode).toBe(201);
    return version;
  }

  async function registerModelVersion() {
    // Model versions come from the registry service; here straight onto its topic.
    const registry = new ProvenancePublisher(log, { service: 'registry-service' });
    const bob: Principal = { id: 'bob', roles: ['model-engineer'] };
    await registry.publish(
      { type: 'model.version.registered', payload: EXAMPLE_PAYLOADS['model.version.registered'][1] as never },
      bob,
    );
    return EXAMPLE_PAYLOADS['model.version.registered'][1]['modelVersionId'] as string;
  }

  it('records the whole training lineage as signed events with recomputable digests', async () => {
    const version = await registerDatasetAndVersion();
    expect(version.json()).toMatchObject({ id: DSV, created: true });
    const slice = await post(
      '/v1/slices',
      { datasetVersionId: DSV, criteria, labels: { 'label.source': 'vendor', $kind: 'gold' } },
      steward.token,
    );
    expect(slice.json()).toMatchObject({ id: SLICE, created: true });
    const steps = [{ name: 'scale', transform: 'StandardScaler', params: { 'with.mean': true, $clip: [[0, 1]] } }];
    expect(
      (
        await post(
          '/v1/pipelines',
          { name: 'features', version: '1.0.0', codeDigest: 'git:4f2ac1d', steps },
          engineer.token,
        )
      ).statusCode,
    ).toBe(201);
    const run = await post(
      '/v1/runs',
      {
        pipeline: 'pipeline:features@1.0.0',
        inputs: [{ sliceId: SLICE, role: 'train', samplingFraction: 0.5 }],
        hyperparameters: { 'optimizer.lr': 0.01, $scale: 2, layers: [[64, 32]] },
        seeds: { torch: 7 },
        codeCommit: '4f2ac1d',
        environment: { imageDigest: `sha256:${hex('d')}`, libraries: { torch: '2.5.1' } },
        startedAt: '2026-11-02T08:00:00Z',
      },
      engineer.token,
    );
    expect(run.statusCode).toBe(201);
    const runId = run.json().id as string;
    expect(runId).toMatch(/^run:[0-9a-f-]{36}$/);
    expect(
      (
        await post(
          `/v1/runs/${runId}/complete`,
          { status: 'succeeded', endedAt: '2026-11-02T09:00:00Z', metrics: { auc: 0.9 } },
          engineer.token,
        )
      ).statusCode,
    ).toBe(201);
    const modelVersionId = await registerModelVersion();
    const evaluation = await post(
      '/v1/evaluations',
      { modelVersionId, sliceId: SLICE, metrics: { auc: 0.88 } },
      engineer.token,
    );
    expect(evaluation.statusCode).toBe(201);
    expect(
      (await post(`/v1/slices/${SLICE}/flag`, { reason: 'labels shifted', severity: 'high' }, steward.token))
        .statusCode,
    ).toBe(201);

    const events = await eventsOn(Topics.training);
    expect(events.map((e) => e.type)).toEqual([
      'dataset.registered',
      'dataset.version.registered',
      'dataset.slice.defined',
      'pipeline.registered',
      'training.run.started',
      'training.run.completed',
      'evaluation.recorded',
      'dataset.slice.flagged',
    ]);
    for (const event of events) {
      expect(validateEnvelope(event).ok).toBe(true);
      expect(event.integrity.payloadDigest).toBe(payloadDigest(event.payload));
      expect(
        verifyEnvelope(event, (id) => (id === service.keys.keyId ? service.keys.publicKey : undefined), {
          requireSignature: true,
        }),
      ).toEqual({ ok: true, signed: true });
      expect(event.producer.service).toBe('training-service');
    }
    expect(events[1].payload).toEqual({
      datasetVersionId: DSV,
      datasetId: 'dataset:crm/events',
      parts: [parts[1], parts[0]],
      source: 's3://lake/crm/events/',
      rowCount: 10,
    });
    expect(events[2].payload).toMatchObject({ sliceId: SLICE, labels: { 'label.source': 'vendor', $kind: 'gold' } });
    expect(events[4]).toMatchObject({
      subject: runId,
      producer: { principal: 'bob' },
      payload: {
        pipelineId: 'pipeline:features@1.0.0',
        hyperparameters: { 'optimizer.lr': 0.01, $scale: 2, layers: [[64, 32]] },
        owner: 'bob',
      },
    });
  });

  it('treats a repeated registration as a no-op and a changed one as a conflict', async () => {
    const dataset = { namespace: 'crm', name: 'events', owner: 'data@example.com' };
    expect((await post('/v1/datasets', dataset, steward.token)).statusCode).toBe(201);
    const again = await post('/v1/datasets', dataset, steward.token);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: 'dataset:crm/events', created: false });
    const changed = await post('/v1/datasets', { ...dataset, owner: 'mallory@example.com' }, steward.token);
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('conflict');
    expect(await eventsOn(Topics.training)).toHaveLength(1);
  });

  it('names a dataset version by its manifest and refuses a client id that does not match', async () => {
    await registerDatasetAndVersion();
    const reordered = await post(
      '/v1/datasets/crm/events/versions',
      { parts: [parts[1], parts[0]], source: 's3://lake/crm/events/', rowCount: 10 },
      steward.token,
    );
    expect(reordered.statusCode).toBe(200);
    expect(reordered.json().id).toBe(DSV);
    const wrong = await post(
      '/v1/datasets/crm/events/versions',
      { parts, source: 's3://x/', id: `dsv:sha256:${hex('0')}` },
      steward.token,
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details).toEqual([{ path: 'id', problem: expect.stringContaining(DSV) }]);
  });

  it('answers 404 for an unknown dataset and 422 naming an unknown slice of a run', async () => {
    const noDataset = await post('/v1/datasets/crm/nothing/versions', { parts, source: 's3://x/' }, steward.token);
    expect(noDataset.statusCode).toBe(404);
    await post(
      '/v1/pipelines',
      { name: 'features', version: '1.0.0', codeDigest: 'git:4f2ac1d', steps: [{ name: 's', transform: 't' }] },
      engineer.token,
    );
    const run = await post(
      '/v1/runs',
      {
        pipeline: 'pipeline:features@1.0.0',
        inputs: [{ sliceId: SLICE, role: 'train' }],
        hyperparameters: {},
        seeds: {},
        codeCommit: 'c',
        environment: {},
        startedAt: '2026-11-02T08:00:00Z',
      },
      engineer.token,
    );
    expect(run.statusCode).toBe(422);
    expect(run.json().error.details).toEqual([{ path: 'inputs[0].sliceId', problem: expect.stringContaining(SLICE) }]);
    expect(await eventsOn(Topics.training)).toHaveLength(1);
  });

  it.each([
    ['a wrong type', { namespace: 'crm', name: 'events', owner: 42 }, 'owner'],
    ['a missing field', { namespace: 'crm', name: 'events' }, 'owner'],
    ['an unknown field', { namespace: 'crm', name: 'events', owner: 'o', extra: 1 }, 'extra'],
    ['a $-prefixed field', { namespace: 'crm', name: 'events', owner: 'o', $where: 'sleep(1)' }, '$where'],
    ['a dotted field', { namespace: 'crm', name: 'events', owner: 'o', 'owner.name': 'x' }, '["owner.name"]'],
    ['an operator object as a value', { namespace: { $gt: '' }, name: 'events', owner: 'o' }, 'namespace'],
  ])('refuses %s with the field path and publishes nothing', async (_name, body, path) => {
    const res = await post('/v1/datasets', body, steward.token);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await eventsOn(Topics.training)).toEqual([]);
  });

  it('lets each role publish only its own domain', async () => {
    const dataset = { namespace: 'crm', name: 'events', owner: 'o' };
    expect((await post('/v1/datasets', dataset, engineer.token)).statusCode).toBe(403);
    expect((await post('/v1/datasets', dataset, inference.token)).statusCode).toBe(403);
    expect((await post('/v1/datasets', dataset, viewer.token)).statusCode).toBe(403);
    expect((await service.post('/v1/datasets', dataset, null)).statusCode).toBe(401);
    expect(await eventsOn(Topics.training)).toEqual([]);
  });

  it('names a run from its Idempotency-Key, so a retry is a no-op', async () => {
    await post(
      '/v1/pipelines',
      { name: 'features', version: '1.0.0', codeDigest: 'git:4f2ac1d', steps: [{ name: 's', transform: 't' }] },
      engineer.token,
    );
    const run = {
      pipeline: 'pipeline:features@1.0.0',
      inputs: [],
      hyperparameters: {},
      seeds: {},
      codeCommit: 'c',
      environment: {},
      startedAt: '2026-11-02T08:00:00Z',
    };
    await registerDatasetAndVersion();
    await post('/v1/slices', { datasetVersionId: DSV, criteria }, steward.token);
    run.inputs = [{ sliceId: SLICE, role: 'train' }] as never;
    const first = await post('/v1/runs', run, engineer.token, { 'idempotency-key': 'job-17' });
    const retry = await post('/v1/runs', run, engineer.token, { 'idempotency-key': 'job-17' });
    expect([first.statusCode, retry.statusCode]).toEqual([201, 200]);
    expect(retry.json().id).toBe(first.json().id);
    expect((await eventsOn(Topics.training)).filter((e) => e.type === 'training.run.started')).toHaveLength(1);
  });
});
