import {
  ID_PATTERNS,
  OPENLINEAGE_EVENT_TYPES,
  type DataSliceDefinedV1,
  type DatasetRegisteredV1,
  type JsonObject,
  type JsonValue,
  type OpenLineageDatasetRef,
  type OpenLineageEventType,
  type OpenLineageJob,
  type OpenLineageParentRun,
  type OpenLineageRunEventReceivedV1,
} from '@prov/contracts';
import { dataSliceId, payloadDigest } from '@prov/integrity';
import { openLineageDatasetId } from './openlineage-dataset-id';
import type {
  OpenLineageDataset,
  OpenLineageFacets,
  OpenLineageInputDataset,
  OpenLineageOutputDataset,
  OpenLineageRunEvent,
} from './openlineage-run-event';

export interface RunEventMappingContext {
  /** Those of the dataset versions the event names (datasetVersionsNamedBy) that are on the log. */
  registeredDatasetVersions: ReadonlySet<string>;
  /** Owner of a dataset first seen here whose event carries no ownership facet: the posting principal. */
  defaultOwner: string;
}

/** What one OpenLineage RunEvent becomes: the datasets and slices it names, then the event itself. */
export interface RunEventMapping {
  /** One per dataset id, to register unless already registered (a dataset's record never changes). */
  datasets: DatasetRegisteredV1[];
  /** The slices its subset facets define on registered dataset versions, one per id. */
  slices: DataSliceDefinedV1[];
  received: OpenLineageRunEventReceivedV1;
}

/** The `dsv:` ids the event's datasetVersion facets name: those the mapping links when they are registered. */
export function datasetVersionsNamedBy(event: OpenLineageRunEvent): string[] {
  return [...(event.inputs ?? []), ...(event.outputs ?? [])]
    .map((dataset) => versionOf(dataset))
    .filter((version): version is string => version !== undefined && ID_PATTERNS.datasetVersion.test(version));
}

/**
 * Maps a RunEvent (already valid against the spec's schema) onto our
 * records. A dataset is linked to exactly the version its producer sent:
 * to our dataset version when the datasetVersion facet names a registered
 * one, kept as an external version otherwise, and to no version at all
 * without the facet (never to "the latest"); every input not tied to a
 * registered version is named in `completeness.missing`. Pure: the same
 * event and context give the same records.
 */
export function mapRunEvent(event: OpenLineageRunEvent, context: RunEventMappingContext): RunEventMapping {
  const datasets = new Map<string, DatasetRegisteredV1>();
  const slices = new Map<string, DataSliceDefinedV1>();
  const missing: string[] = [];

  const refOf = (dataset: OpenLineageDataset, path: string, subset: JsonValue | undefined): OpenLineageDatasetRef => {
    const datasetId = openLineageDatasetId(dataset.namespace, dataset.name);
    if (!datasets.has(datasetId)) datasets.set(datasetId, datasetRecord(datasetId, dataset, context.defaultOwner));
    const version = versionOf(dataset);
    const registered = version !== undefined && context.registeredDatasetVersions.has(version);
    const ref: OpenLineageDatasetRef = {
      namespace: dataset.namespace,
      name: dataset.name,
      datasetId,
      resolution: registered ? 'registered' : version !== undefined ? 'external' : 'unversioned',
      ...(version !== undefined ? { version } : {}),
      ...dataSourceOf(dataset.facets),
      ...schemaFieldsOf(dataset.facets),
    };
    const label = `${dataset.namespace}/${dataset.name}`;
    if (!registered) {
      if (path.startsWith('inputs'))
        missing.push(
          version === undefined
            ? `${path}: ${label} has no datasetVersion facet, so no version of it is linked`
            : `${path}: version ${JSON.stringify(version)} of ${label} is not a registered dataset version`,
        );
      return ref;
    }
    ref.datasetVersionId = version;
    if (subset !== undefined) {
      const criteria = { filter: subset };
      const sliceId = dataSliceId(version, criteria);
      slices.set(sliceId, { sliceId, datasetVersionId: version, criteria });
      ref.sliceId = sliceId;
    }
    return ref;
  };

  const inputs = (event.inputs ?? []).map((input: OpenLineageInputDataset, i) =>
    refOf(input, `inputs[${i}]`, conditionOf(input.inputFacets, 'inputCondition')),
  );
  const outputs = (event.outputs ?? []).map((output: OpenLineageOutputDataset, i) =>
    refOf(output, `outputs[${i}]`, conditionOf(output.outputFacets, 'outputCondition')),
  );
  const parent = parentOf(event.run.facets);
  const received: OpenLineageRunEventReceivedV1 = {
    eventKey: `olevent:${payloadDigest(event)}`,
    ...(isEventType(event.eventType) ? { eventType: event.eventType } : {}),
    eventTime: event.eventTime,
    producer: event.producer,
    schemaURL: event.schemaURL,
    runId: event.run.runId,
    job: jobOf(event.job),
    ...(parent ? { parent } : {}),
    inputs,
    outputs,
    completeness: { complete: missing.length === 0, missing },
    event: event as unknown as JsonObject,
  };
  return { datasets: [...datasets.values()], slices: [...slices.values()], received };
}

const isEventType = (value: unknown): value is OpenLineageEventType =>
  (OPENLINEAGE_EVENT_TYPES as readonly unknown[]).includes(value);

const objectAt = (value: JsonValue | undefined): { [key: string]: JsonValue } | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;

const stringAt = (value: JsonValue | undefined): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

function versionOf(dataset: OpenLineageDataset): string | undefined {
  return stringAt(objectAt(dataset.facets?.['version'])?.['datasetVersion']);
}

function conditionOf(facets: OpenLineageFacets | undefined, key: 'inputCondition' | 'outputCondition') {
  return objectAt(facets?.['subset'])?.[key];
}

function dataSourceOf(facets: OpenLineageFacets | undefined): { dataSource?: string } {
  const source = objectAt(facets?.['dataSource']);
  const value = stringAt(source?.['uri']) ?? stringAt(source?.['name']);
  return value ? { dataSource: value } : {};
}

function schemaFieldsOf(facets: OpenLineageFacets | undefined): { schemaFields?: string[] } {
  const fields = objectAt(facets?.['schema'])?.['fields'];
  if (!Array.isArray(fields)) return {};
  return { schemaFields: fields.map((field) => stringAt(objectAt(field)?.['name']) ?? '').filter(Boolean) };
}

function datasetRecord(datasetId: string, dataset: OpenLineageDataset, defaultOwner: string): DatasetRegisteredV1 {
  const [, namespace, name] = /^dataset:([^/]+)\/(.+)$/.exec(datasetId) ?? [];
  const owners = objectAt(dataset.facets?.['ownership'])?.['owners'];
  const owner = Array.isArray(owners) ? stringAt(objectAt(owners[0])?.['name']) : undefined;
  return {
    datasetId,
    namespace,
    name,
    owner: (owner ?? defaultOwner).slice(0, 256),
    description: `OpenLineage dataset ${dataset.name} in namespace ${dataset.namespace}`.slice(0, 4000),
  };
}

function jobOf(job: OpenLineageRunEvent['job']): OpenLineageJob {
  const type = objectAt(job.facets?.['jobType']);
  const jobType = [type?.['processingType'], type?.['integration'], type?.['jobType']]
    .map(stringAt)
    .filter(Boolean)
    .join('/');
  const code = objectAt(job.facets?.['sourceCodeLocation']);
  const url = stringAt(code?.['url']);
  const codeType = stringAt(code?.['type']);
  const version = stringAt(code?.['version']);
  return {
    namespace: job.namespace,
    name: job.name,
    ...(jobType ? { jobType } : {}),
    ...(url && codeType ? { codeLocation: { type: codeType, url, ...(version ? { version } : {}) } } : {}),
  };
}

function parentOf(facets: OpenLineageFacets | undefined): OpenLineageParentRun | undefined {
  const parent = objectAt(facets?.['parent']);
  const runId = stringAt(objectAt(parent?.['run'])?.['runId']);
  const job = objectAt(parent?.['job']);
  const namespace = stringAt(job?.['namespace']);
  const name = stringAt(job?.['name']);
  if (!runId || !namespace || !name) return undefined;
  const rootRunId = stringAt(objectAt(objectAt(parent?.['root'])?.['run'])?.['runId']);
  return { runId, job: { namespace, name }, ...(rootRunId ? { rootRunId } : {}) };
}
