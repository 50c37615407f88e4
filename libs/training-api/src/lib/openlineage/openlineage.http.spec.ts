import { generateApiKey } from '@prov/auth';
import { Topics } from '@prov/contracts';
import { dataSliceId, datasetVersionId } from '@prov/integrity';
import { openLineageDatasetId } from '@prov/interop';
import { ProducerServiceUnderTest, readEvents, startProducerServiceUnderTest } from '@prov/testing';
import { createTrainingService } from '../training-service';

const steward = generateApiKey('airflow', ['data-steward']);
const viewer = generateApiKey('victor', ['viewer']);
const parts = [{ path: 'part-0.parquet', sizeBytes: 10, sha256: '1'.repeat(64) }];
const DSV = datasetVersionId(parts);
const condition = {
  type: 'compare',
  left: { type: 'field', field: 'country' },
  right: { type: 'literal', value: 'DE' },
  comparison: 'EQUAL',
};
const facet = { _producer: 'https://airflow.example', _schemaURL: 'https://openlineage.io/spec/facets/x.json' };

const runEvent = (overrides: Record<string, unknown> = {}) => ({
  eventType: 'COMPLETE',
  eventTime: '2026-11-04T11:59:58.120Z',
  producer: 'https://airflow.example/openlineage',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718296' },
  job: { namespace: 'airflow', name: 'churn.features' },
  inputs: [
    {
      namespace: 'crm',
      name: 'events',
      facets: { version: { ...facet, datasetVersion: DSV } },
      inputFacets: { subset: { ...facet, inputCondition: condition } },
    },
    { namespace: 'postgres://db:5432', name: 'public.orders' },
  ],
  ...overrides,
});

describe('POST /api/v1/lineage (OpenLineage ingestion)', () => {
  let service: ProducerServiceUnderTest;
  beforeEach(async () => {
    service = await startProducerServiceUnderTest(createTrainingService, [steward.record, viewer.record]);
    expect(
      (await service.post('/v1/datasets', { namespace: 'crm', name: 'events', owner: 'crm-team' }, steward.token))
        .statusCode,
    ).toBe(201);
    expect(
      (await service.post('/v1/datasets/crm/events/versions', { parts, source: 's3://lake/crm/' }, steward.token))
        .statusCode,
    ).toBe(201);
  });
  afterEach(() => service.close());

  const typesOnLog = async () => (await readEvents(service.log, Topics.training)).map((e) => `${e.type} ${e.subject}`);

  it('publishes the datasets, the slice of a registered version and the event, once', async () => {
    const before = await typesOnLog();
    const answer = await service.post('/api/v1/lineage', runEvent(), steward.token);
    expect(answer.statusCode).toBe(201);
    const body = answer.json();
    const slice = dataSliceId(DSV, { filter: condition });
    expect(body).toMatchObject({
      id: expect.stringMatching(/^olevent:sha256:[0-9a-f]{64}$/),
      created: true,
      eventTime: '2026-11-04T11:59:58.120Z',
      receivedAt: expect.any(String),
      inputs: [
        { datasetId: 'dataset:crm/events', resolution: 'registered', datasetVersionId: DSV, sliceId: slice },
        { datasetId: openLineageDatasetId('postgres://db:5432', 'public.orders'), resolution: 'unversioned' },
      ],
      sliceIds: [slice],
      completeness: {
        complete: false,
        missing: [expect.stringMatching(/^inputs\[1\]: .* has no datasetVersion facet/)],
      },
    });
    const orders = openLineageDatasetId('postgres://db:5432', 'public.orders');
    // dataset:crm/events was registered before: its record is left as it is.
    expect((await typesOnLog()).slice(before.length)).toEqual([
      `dataset.registered ${orders}`,
      `dataset.slice.defined ${slice}`,
      `openlineage.run-event.received ${body.id}`,
    ]);
    const [received] = (await readEvents(service.log, Topics.training)).filter(
      (e) => e.type === 'openlineage.run-event.received',
    );
    // The producer's time is the claim, ours the trusted time; the event is kept as sent.
    expect(received.occurredAt).toBe('2026-11-04T11:59:58.120Z');
    expect(received.recordedAt).toBe(body.receivedAt);
    expect((received.payload as { event: unknown }).event).toEqual(runEvent());

    const again = await service.post('/api/v1/lineage', runEvent(), steward.token);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: body.id, created: false });
    expect((await typesOnLog()).length).toBe(before.length + 3);
  });

  it('refuses what the OpenLineage schema refuses with the JSON path, and publishes nothing', async () => {
    const before = await typesOnLog();
    const answer = await service.post('/api/v1/lineage', runEvent({ run: { runId: 'not-a-uuid' } }), steward.token);
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error.details).toEqual([{ path: 'run.runId', problem: 'must match format "uuid"' }]);
    const badFacet = runEvent();
    (badFacet.inputs[0].facets as { version: Record<string, unknown> }).version['datasetVersion'] = 7;
    const facetAnswer = await service.post('/api/v1/lineage', badFacet, steward.token);
    expect(facetAnswer.statusCode).toBe(400);
    expect(facetAnswer.json().error.details[0].path).toBe('inputs[0].facets.version.datasetVersion');
    expect(await typesOnLog()).toEqual(before);
  });

  it('records a run whose Spark logical plan is nested too deep without that facet, naming it in the answer', async () => {
    let plan: Record<string, unknown> = { class: 'LogicalRelation', 'num-children': 0 };
    for (let i = 1; i < 16; i++) plan = { class: `Node${i}`, 'num-children': 1, children: [plan] };
    const event = runEvent({
      run: {
        runId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718297',
        facets: { spark_logicalPlan: { ...facet, plan: [plan] }, spark_version: { ...facet, version: '3.5.1' } },
      },
    });
    const answer = await service.post('/api/v1/lineage', event, steward.token);
    expect(answer.statusCode).toBe(201);
    expect(answer.json().droppedFacets).toEqual([
      { path: 'run.facets.spark_logicalPlan', problem: expect.stringContaining('dropped') },
    ]);
    const [recorded] = (await readEvents(service.log, Topics.training)).filter(
      (e) => e.type === 'openlineage.run-event.received',
    );
    const kept = (recorded.payload as { event: { run: { facets: Record<string, unknown> } } }).event;
    expect(Object.keys(kept.run.facets)).toEqual(['spark_version']);
  });

  it('is for data stewards', async () => {
    expect((await service.post('/api/v1/lineage', runEvent(), viewer.token)).statusCode).toBe(403);
    expect((await service.post('/api/v1/lineage', runEvent(), null)).statusCode).toBe(401);
  });
});
