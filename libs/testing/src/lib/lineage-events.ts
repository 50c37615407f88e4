import {
  EVENT_CATALOG,
  EXAMPLE_PAYLOADS,
  upcastEvent,
  type CurrentPayloads,
  type EventEnvelope,
  type EventOf,
  type EventType,
  type FlagSeverity,
  type ModelStage,
  type ProvenanceEvent,
  type TrainingInput,
} from '@prov/contracts';
import { dataSliceId, datasetVersionId, payloadDigest, sha256Hex } from '@prov/integrity';

export const START = Date.parse('2026-11-01T00:00:00.000Z');

/**
 * Builds realistic, mutually consistent events (test fixture). Payloads
 * start from the contract's `EXAMPLE_PAYLOADS`; ids are derived as the
 * services derive them (dataset versions and slices by digest); every event
 * is recorded one second after the previous one, with a UUIDv7 id that
 * orders like its `recordedAt`.
 */
export class LineageEvents {
  private sequence = 0;
  private uuids = 0;

  /** A UUIDv7-shaped value for entity ids (`run:`, `eval:`, `batch:`). */
  uuid(): string {
    this.uuids += 1;
    return uuidV7(START, this.uuids);
  }

  event<T extends EventType>(type: T, payload: CurrentPayloads[T], schemaVersion?: number): EventOf<T> {
    this.sequence += 1;
    const at = START + this.sequence * 1000;
    const recordedAt = new Date(at).toISOString();
    return {
      eventId: uuidV7(at, this.sequence),
      type,
      schemaVersion: schemaVersion ?? EVENT_CATALOG[type].currentVersion,
      subject: EVENT_CATALOG[type].subjectOf(payload),
      occurredAt: new Date(at - 250).toISOString(),
      recordedAt,
      producer: { service: `${EVENT_CATALOG[type].domain}-service`, principal: 'alice' },
      payload,
      integrity: { payloadDigest: payloadDigest(payload) },
    } as EventOf<T>;
  }

  dataset(namespace = 'crm', name = 'customer-events', overrides: Partial<CurrentPayloads['dataset.registered']> = {}) {
    return this.event('dataset.registered', {
      ...example('dataset.registered'),
      datasetId: `dataset:${namespace}/${name}`,
      namespace,
      name,
      ...overrides,
    });
  }

  /** A snapshot whose id is the digest of its (distinct) manifest. */
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

  sliceFlagged(sliceId: string, severity: FlagSeverity = 'high') {
    return this.event('dataset.slice.flagged', { ...example('dataset.slice.flagged'), sliceId, severity });
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

  /** A run published by an older producer at schema v1 (one `seed`), upcast on read as the projector does. */
  runStartedV1(pipelineId: string, inputs: TrainingInput[], seed: number): EventOf<'training.run.started'> {
    const { seeds: _seeds, owner: _owner, ...v2 } = example('training.run.started');
    const payload = { ...v2, runId: `run:${this.uuid()}`, pipelineId, inputs, seed };
    const published = this.event('training.run.started', payload as never, 1) as unknown as EventEnvelope<EventType>;
    return upcastEvent(published) as EventOf<'training.run.started'>;
  }

  runCompleted(runId: string, status: CurrentPayloads['training.run.completed']['status'] = 'succeeded') {
    // Without seeds, as most runs end: those that report seeds at their end say so.
    const { seeds: _seeds, ...completion } = example('training.run.completed');
    return this.event('training.run.completed', { ...completion, runId, status });
  }

  evaluation(modelVersionId: string, sliceId: string, metrics: Record<string, number> = { auc: 0.89 }) {
    return this.event('evaluation.recorded', { evaluationId: `eval:${this.uuid()}`, modelVersionId, sliceId, metrics });
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

  stageChanged(modelVersionId: string, stage: ModelStage) {
    return this.event('model.stage.changed', { modelVersionId, stage, approvedBy: 'bob' });
  }

  promoted(modelVersionId: string) {
    return this.event('model.promoted', { ...example('model.promoted'), modelVersionId });
  }

  promotionRejected(modelVersionId: string) {
    return this.event('model.promotion.rejected', { ...example('model.promotion.rejected'), modelVersionId });
  }

  revoked(modelVersionId: string) {
    return this.event('model.version.revoked', { ...example('model.version.revoked'), modelVersionId });
  }

  deploymentCreated(name: string, modelVersionId: string, effectiveFrom?: string) {
    const { effectiveFrom: _example, ...base } = example('deployment.created');
    return this.event('deployment.created', {
      ...base,
      deploymentId: `deployment:${name}`,
      name,
      modelVersionId,
      ...(effectiveFrom ? { effectiveFrom } : {}),
    });
  }

  deploymentRevised(deploymentId: string, modelVersionId: string, effectiveFrom?: string) {
    return this.event('deployment.revised', {
      deploymentId,
      modelVersionId,
      ...(effectiveFrom ? { effectiveFrom } : {}),
    });
  }

  /**
   * A batch of predictions, each an id (made a millisecond apart) or an id
   * with the instant it was made; the example's two shapes alternate (digest only, then output).
   */
  predictionBatch(
    deploymentId: string,
    modelVersionId: string,
    predictions: Array<string | [id: string, at: string]>,
    artifactDigest = digest('9'),
  ) {
    const [first, second] = example('prediction.batch.recorded').predictions;
    return this.event('prediction.batch.recorded', {
      batchId: `batch:${this.uuid()}`,
      deploymentId,
      modelVersionId,
      artifactDigest,
      predictions: predictions.map((prediction, index) => ({
        ...(index % 2 === 0 ? first : second),
        predictionId: Array.isArray(prediction) ? prediction[0] : prediction,
        at: Array.isArray(prediction) ? prediction[1] : new Date(START + this.sequence * 1000 + index).toISOString(),
      })),
    });
  }

  deadLetter() {
    return this.event('deadletter.message.rejected', example('deadletter.message.rejected'));
  }

  auditCheckpoint() {
    return this.event('audit.checkpoint.signed', example('audit.checkpoint.signed'));
  }

  /**
   * An OpenLineage RunEvent as received: `runId` read `datasetVersionId`
   * (registered, through the slice its subset defines, when given) and an
   * unversioned table, and wrote an externally versioned feature table.
   */
  openLineageRun(runId: string, eventType: 'START' | 'COMPLETE', datasetVersionIdRead: string, sliceId?: string) {
    const base = example('openlineage.run-event.received');
    const [{ sliceId: _exampleSlice, ...registered }, unversioned] = base.inputs;
    const read = { ...registered, version: datasetVersionIdRead, datasetVersionId: datasetVersionIdRead };
    const eventTime = new Date(START + (eventType === 'START' ? 0 : 60_000)).toISOString();
    return this.event('openlineage.run-event.received', {
      ...base,
      eventKey: `olevent:sha256:${sha256Hex(Buffer.from(`${runId}/${eventType}`))}`,
      eventType,
      eventTime,
      runId,
      inputs: [sliceId ? { ...read, sliceId } : read, unversioned],
      event: { eventType, eventTime },
    });
  }
}

/** `sha256:` followed by 64 times `char`. */
export function digest(char: string): string {
  return `sha256:${char.repeat(64)}`;
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

/**
 * The upstream of the contract's example model `model:churn-classifier@3.1.0`:
 * a dataset, one snapshot, a sampled training slice and an unsampled
 * validation slice, a pipeline, and a completed run reading both. The model
 * itself is left to each test, so that it can arrive before or after.
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
  const ids = {
    dataset: dataset.payload.datasetId,
    version: version.payload.datasetVersionId,
    trainSlice: trainSlice.payload.sliceId,
    validationSlice: validationSlice.payload.sliceId,
    pipeline: pipeline.payload.pipelineId,
    run: run.payload.runId,
    model: 'model:churn-classifier@3.1.0',
  };
  return {
    events,
    dataset,
    version,
    trainSlice,
    validationSlice,
    pipeline,
    run,
    completed,
    ids,
    all: [dataset, version, trainSlice, validationSlice, pipeline, run, completed] as ProvenanceEvent[],
    registerModel: (artifactDigest?: string) =>
      events.modelRegistered('churn-classifier', '3.1.0', ids.run, artifactDigest),
  };
}
