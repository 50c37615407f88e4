import {
  EVENT_CATALOG,
  EXAMPLE_PAYLOADS,
  type CurrentPayloads,
  type EventOf,
  type EventType,
  type ProvenanceEvent,
  type TrainingInput,
} from '@prov/contracts';
import { projectEvents, InMemoryViews } from '@prov/projections';
import { dataSliceId, datasetVersionId, payloadDigest } from '@prov/integrity';

/** Test fixture: trimmed copy of `libs/projections`' event builder (test files are not shared across libs). */
export const START = Date.parse('2026-11-01T00:00:00.000Z');

export class LineageEvents {
  private sequence = 0;
  private uuids = 0;

  uuid(): string {
    this.uuids += 1;
    return uuidV7(START, this.uuids);
  }

  event<T extends EventType>(type: T, payload: CurrentPayloads[T]): EventOf<T> {
    this.sequence += 1;
    const at = START + this.sequence * 1000;
    return {
      eventId: uuidV7(at, this.sequence),
      type,
      schemaVersion: EVENT_CATALOG[type].currentVersion,
      subject: EVENT_CATALOG[type].subjectOf(payload),
      occurredAt: new Date(at - 250).toISOString(),
      recordedAt: new Date(at).toISOString(),
      producer: { service: `${EVENT_CATALOG[type].domain}-service`, principal: 'alice' },
      payload,
      integrity: { payloadDigest: payloadDigest(payload) },
    } as EventOf<T>;
  }

  dataset(namespace = 'crm', name = 'customer-events') {
    return this.event('dataset.registered', {
      ...example('dataset.registered'),
      datasetId: `dataset:${namespace}/${name}`,
      namespace,
      name,
    });
  }

  datasetVersion(datasetId: string, snapshot: string) {
    const base = example('dataset.version.registered');
    const parts = base.parts.map((part, index) => ({ ...part, path: `${snapshot}/part-${index}.parquet` }));
    return this.event('dataset.version.registered', {
      ...base,
      datasetVersionId: datasetVersionId(parts),
      datasetId,
      parts,
      tags: { snapshot },
    });
  }

  slice(datasetVersionIdOfSlice: string, source: string, options: { sampled?: boolean } = {}) {
    const base = example('dataset.slice.defined');
    const { sampling, ...unsampled } = base.criteria;
    const criteria = options.sampled === false ? { ...unsampled, source } : { ...unsampled, sampling, source };
    return this.event('dataset.slice.defined', {
      ...base,
      sliceId: dataSliceId(datasetVersionIdOfSlice, criteria),
      datasetVersionId: datasetVersionIdOfSlice,
      criteria,
    });
  }

  sliceFlagged(sliceId: string) {
    return this.event('dataset.slice.flagged', { ...example('dataset.slice.flagged'), sliceId });
  }

  pipeline(name = 'churn-features', version = '2.0.1') {
    return this.event('pipeline.registered', {
      ...example('pipeline.registered'),
      pipelineId: `pipeline:${name}@${version}`,
      name,
      version,
    });
  }

  runStarted(
    pipelineId: string,
    inputs: TrainingInput[],
    overrides: Partial<CurrentPayloads['training.run.started']> = {},
  ) {
    return this.event('training.run.started', {
      ...example('training.run.started'),
      runId: `run:${this.uuid()}`,
      pipelineId,
      inputs,
      ...overrides,
    });
  }

  runCompleted(runId: string) {
    return this.event('training.run.completed', { ...example('training.run.completed'), runId });
  }

  evaluation(modelVersionId: string, sliceId: string) {
    return this.event('evaluation.recorded', {
      evaluationId: `eval:${this.uuid()}`,
      modelVersionId,
      sliceId,
      metrics: { auc: 0.89 },
    });
  }

  modelRegistered(name: string, version: string, runId: string, artifactDigest = digest('9')) {
    const base = example('model.version.registered');
    return this.event('model.version.registered', {
      ...base,
      modelVersionId: `model:${name}@${version}`,
      name,
      version,
      runId,
      artifact: { ...base.artifact, uri: `s3://models/${name}/${version}/`, digest: artifactDigest },
    });
  }

  deploymentCreated(name: string, modelVersionId: string, effectiveFrom: string) {
    return this.event('deployment.created', {
      ...example('deployment.created'),
      deploymentId: `deployment:${name}`,
      name,
      modelVersionId,
      effectiveFrom,
    });
  }

  deploymentRevised(deploymentId: string, modelVersionId: string, effectiveFrom: string) {
    return this.event('deployment.revised', { deploymentId, modelVersionId, effectiveFrom });
  }

  /** Predictions made `at` the given instants (the example's two shapes, alternating: digest only, then output). */
  predictionBatch(
    deploymentId: string,
    modelVersionId: string,
    predictions: Array<[id: string, at: string]>,
    artifactDigest = digest('9'),
  ) {
    const [first, second] = example('prediction.batch.recorded').predictions;
    return this.event('prediction.batch.recorded', {
      batchId: `batch:${this.uuid()}`,
      deploymentId,
      modelVersionId,
      artifactDigest,
      predictions: predictions.map(([predictionId, at], index) => ({
        ...(index % 2 === 0 ? first : second),
        predictionId,
        at,
      })),
    });
  }
}

export function digest(char: string): string {
  return `sha256:${char.repeat(64)}`;
}

/** The views after projecting the events one batch each, in order, as a stream delivers them. */
export async function projected(...events: ProvenanceEvent[]): Promise<InMemoryViews> {
  const views = new InMemoryViews();
  for (const event of events) await projectEvents([event], views);
  return views;
}

/**
 * The contract's churn example: one dataset snapshot, a sampled training
 * slice and an unsampled validation slice, a pipeline and a completed run
 * reading both. Models, deployments and predictions are left to each test.
 */
export function churnUpstream(events = new LineageEvents(), snapshot = '2026-11-01') {
  const dataset = events.dataset();
  const version = events.datasetVersion(dataset.payload.datasetId, snapshot);
  const trainSlice = events.slice(version.payload.datasetVersionId, 'web');
  const validationSlice = events.slice(version.payload.datasetVersionId, 'store', { sampled: false });
  const pipeline = events.pipeline();
  const run = events.runStarted(pipeline.payload.pipelineId, [
    { sliceId: trainSlice.payload.sliceId, role: 'train', samplingFraction: 0.5 },
    { sliceId: validationSlice.payload.sliceId, role: 'validation' },
  ]);
  const completed = events.runCompleted(run.payload.runId);
  return {
    events,
    dataset,
    version,
    trainSlice,
    validationSlice,
    pipeline,
    run,
    completed,
    ids: {
      dataset: dataset.payload.datasetId,
      version: version.payload.datasetVersionId,
      trainSlice: trainSlice.payload.sliceId,
      validationSlice: validationSlice.payload.sliceId,
      pipeline: pipeline.payload.pipelineId,
      run: run.payload.runId,
    },
    all: [dataset, version, trainSlice, validationSlice, pipeline, run, completed] as ProvenanceEvent[],
  };
}

function example<T extends EventType>(type: T): CurrentPayloads[T] {
  const payloads = EXAMPLE_PAYLOADS[type];
  return structuredClone(payloads[EVENT_CATALOG[type].currentVersion]) as unknown as CurrentPayloads[T];
}

function uuidV7(millis: number, sequence: number): string {
  const time = millis.toString(16).padStart(12, '0');
  const tail = sequence.toString(16).padStart(15, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${tail.slice(0, 3)}-8${tail.slice(3, 6)}-${tail.slice(6, 15).padStart(12, '0')}`;
}
