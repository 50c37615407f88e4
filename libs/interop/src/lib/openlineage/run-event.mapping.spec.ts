import { validatePayload } from '@prov/contracts';
import { dataSliceId, payloadDigest } from '@prov/integrity';
import type { OpenLineageRunEvent } from './openlineage-run-event';
import { OpenLineageSchemaValidator } from './openlineage-schema.validator';
import { openLineageDatasetId } from './openlineage-dataset-id';
import { datasetVersionsNamedBy, mapRunEvent } from './run-event.mapping';
import { exampleRunEvent, specExample } from './spec-examples.test-helper';

const DSV = `dsv:sha256:${'a'.repeat(64)}`;
const validator = new OpenLineageSchemaValidator();
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('OpenLineage RunEvents against the spec schema', () => {
  it("accepts the spec's own full example event and one built from its facet examples", () => {
    expect(validator.validate(specExample('example_full_event'))).toEqual([]);
    expect(validator.validate(exampleRunEvent(DSV))).toEqual([]);
  });

  it('names the JSON path of what the RunEvent schema refuses', () => {
    const noRunId = exampleRunEvent(DSV) as { run: Record<string, unknown> };
    delete noRunId.run['runId'];
    expect(validator.validate(noRunId)).toEqual([{ path: 'run.runId', problem: 'is required' }]);
    expect(validator.validate({ ...exampleRunEvent(DSV), eventType: 'DONE' })).toEqual([
      { path: 'eventType', problem: 'must be one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER' },
    ]);
    expect(validator.validate({ ...exampleRunEvent(DSV), eventTime: 'yesterday' })[0].path).toBe('eventTime');
    expect(validator.validate([])).toEqual([{ path: '', problem: 'must be an OpenLineage RunEvent (a JSON object)' }]);
  });

  it('refuses an empty job or dataset namespace or name by its path (the spec allows them, our records name them)', () => {
    const event = exampleRunEvent(DSV) as unknown as OpenLineageRunEvent;
    const unnamed = {
      ...event,
      job: { ...event.job, name: '' },
      inputs: [{ namespace: '', name: 'orders' }],
      outputs: [{ namespace: 'crm', name: '' }],
    };
    expect(validator.validate(unnamed)).toEqual([
      { path: 'job.name', problem: 'must not be empty' },
      { path: 'inputs[0].namespace', problem: 'must not be empty' },
      { path: 'outputs[0].name', problem: 'must not be empty' },
    ]);
  });

  it('checks the facets the spec defines against their own schemas, and leaves custom facets be', () => {
    const event = exampleRunEvent(DSV) as { inputs: Array<{ facets: Record<string, Record<string, unknown>> }> };
    const badVersion = clone(event);
    badVersion.inputs[0].facets['version']['datasetVersion'] = 42;
    expect(validator.validate(badVersion)).toEqual([
      { path: 'inputs[0].facets.version.datasetVersion', problem: 'must be string' },
    ]);
    const badSubset = clone(event) as unknown as {
      inputs: Array<{ inputFacets: { subset: Record<string, unknown> } }>;
    };
    delete badSubset.inputs[0].inputFacets.subset['inputCondition'];
    expect(validator.validate(badSubset)[0].path).toMatch(/^inputs\[0\]\.inputFacets\.subset/);
    const custom = clone(event);
    custom.inputs[0].facets['acme_quality'] = { score: 'high' };
    // The spec asks every facet, custom ones too, for its producer and schema URL.
    expect(validator.validate(custom)[0]).toEqual({
      path: 'inputs[0].facets.acme_quality._producer',
      problem: 'is required',
    });
    custom.inputs[0].facets['acme_quality'] = {
      score: 'high',
      _producer: 'https://acme.example',
      _schemaURL: 'https://acme.example/q.json',
    };
    expect(validator.validate(custom)).toEqual([]);
  });
});

describe('mapRunEvent', () => {
  const context = { registeredDatasetVersions: new Set([DSV]), defaultOwner: 'airflow-prod' };
  const event = exampleRunEvent(DSV) as unknown as OpenLineageRunEvent;

  it('links an input to exactly the registered version it names and its subset to a data slice', () => {
    const { received, slices } = mapRunEvent(event, context);
    const condition = specExample<{ subset: { inputCondition: object } }>('BaseSubsetDatasetFacet-2').subset
      .inputCondition;
    const sliceId = dataSliceId(DSV, { filter: condition });
    expect(slices).toEqual([{ sliceId, datasetVersionId: DSV, criteria: { filter: condition } }]);
    expect(received.inputs[0]).toEqual({
      namespace: 'crm',
      name: 'customer-events',
      datasetId: 'dataset:crm/customer-events',
      resolution: 'registered',
      version: DSV,
      datasetVersionId: DSV,
      sliceId,
      dataSource: 'https://some.location.com/datsource/one',
      schemaFields: ['user_id', 'counterparty_id', 'currency', 'amount', 'phones', 'addresses', 'custom_properties'],
    });
  });

  it('links an input without a datasetVersion facet to no version, and says so in completeness', () => {
    const { received } = mapRunEvent(event, context);
    expect(received.inputs[1]).toEqual({
      namespace: 'postgres://db.example.com:5432',
      name: 'public.orders',
      datasetId: openLineageDatasetId('postgres://db.example.com:5432', 'public.orders'),
      resolution: 'unversioned',
    });
    expect(received.completeness).toEqual({
      complete: false,
      missing: [
        'inputs[1]: postgres://db.example.com:5432/public.orders has no datasetVersion facet, so no version of it is linked',
      ],
    });
  });

  it('keeps a version that is not one of ours as an external version, linked to no snapshot', () => {
    const { received, slices } = mapRunEvent(exampleRunEvent('2026-11-01') as unknown as OpenLineageRunEvent, context);
    expect(received.inputs[0]).toMatchObject({ resolution: 'external', version: '2026-11-01' });
    expect(received.inputs[0].datasetVersionId).toBeUndefined();
    expect(slices).toEqual([]);
    expect(received.completeness.missing[0]).toBe(
      'inputs[0]: version "2026-11-01" of crm/customer-events is not a registered dataset version',
    );
    // An unregistered dsv id is not linked either, however well-formed.
    const unknown = mapRunEvent(event, { ...context, registeredDatasetVersions: new Set() });
    expect(unknown.received.inputs[0].resolution).toBe('external');
    expect(unknown.received.completeness.complete).toBe(false);
  });

  it('maps the output version, the parent run and the job facets, and keeps the event verbatim', () => {
    const { received } = mapRunEvent(event, context);
    expect(received.outputs).toEqual([
      {
        namespace: 's3://lake',
        name: 'features/churn',
        datasetId: openLineageDatasetId('s3://lake', 'features/churn'),
        resolution: 'external',
        version: '2',
      },
    ]);
    expect(received.parent).toEqual({
      runId: 'f99310b4-3c3c-1a1a-2b2b-c1b95c24ff11',
      job: { namespace: 'dbt', name: 'dbt-job-name' },
    });
    expect(received.job).toEqual({
      namespace: 'airflow',
      name: 'churn.prepare_features',
      jobType: 'BATCH/SPARK/QUERY',
      codeLocation: { type: 'git', url: 'http://example.com' },
    });
    expect(received).toMatchObject({
      eventType: 'COMPLETE',
      eventTime: '2026-11-04T11:59:58.120Z',
      runId: event.run.runId,
    });
    expect(received.event).toEqual(event);
    expect(received.eventKey).toBe(`olevent:${payloadDigest(event)}`);
  });

  it('gives the same records for the same event, and payloads that satisfy their contracts', () => {
    const first = mapRunEvent(event, context);
    expect(mapRunEvent(clone(event), context)).toEqual(first);
    expect(validatePayload('openlineage.run-event.received', 1, first.received)).toEqual([]);
    for (const dataset of first.datasets) expect(validatePayload('dataset.registered', 1, dataset)).toEqual([]);
    for (const slice of first.slices) expect(validatePayload('dataset.slice.defined', 1, slice)).toEqual([]);
    expect(first.datasets.map((d) => d.owner)).toEqual(['airflow-prod', 'airflow-prod', 'airflow-prod']);
    expect(datasetVersionsNamedBy(event)).toEqual([DSV]);
  });

  it("maps the spec's full example event, which has no datasets", () => {
    const { received, datasets } = mapRunEvent(specExample('example_full_event'), context);
    expect(datasets).toEqual([]);
    expect(received).toMatchObject({ inputs: [], outputs: [], completeness: { complete: true, missing: [] } });
    expect(validatePayload('openlineage.run-event.received', 1, received)).toEqual([]);
  });
});

describe('openLineageDatasetId', () => {
  it('keeps valid names and cleans URIs into distinct, stable ids', () => {
    expect(openLineageDatasetId('crm', 'customer-events')).toBe('dataset:crm/customer-events');
    const id = openLineageDatasetId('postgres://db:5432', 'public.orders');
    expect(id).toMatch(/^dataset:postgres-db-5432-[0-9a-f]{8}\/public\.orders$/);
    expect(openLineageDatasetId('postgres://db:5432', 'public.orders')).toBe(id);
    expect(openLineageDatasetId('postgres://db:5433', 'public.orders')).not.toBe(id);
    expect(openLineageDatasetId('s3://lake', 'a/b')).not.toBe(openLineageDatasetId('s3://lake', 'a-b'));
  });

  it('gives an empty namespace or name (the spec allows them) a valid id, whose record satisfies its contract', () => {
    expect(openLineageDatasetId('', 'orders')).toMatch(/^dataset:ol-[0-9a-f]{8}\/orders$/);
    expect(openLineageDatasetId('crm', '')).toMatch(/^dataset:crm\/ol-[0-9a-f]{8}$/);
    const event = exampleRunEvent(DSV) as unknown as OpenLineageRunEvent;
    const unnamed = { ...event, inputs: [{ namespace: '', name: '' }], outputs: [] } as OpenLineageRunEvent;
    const { datasets } = mapRunEvent(unnamed, { registeredDatasetVersions: new Set(), defaultOwner: 'etl' });
    expect(datasets).toHaveLength(1);
    expect(validatePayload('dataset.registered', 1, datasets[0])).toEqual([]);
  });
});
