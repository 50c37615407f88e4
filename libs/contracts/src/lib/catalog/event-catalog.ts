import { Topics, TopicName } from '../topics';
import {
  DataSliceDefinedV1,
  DataSliceFlaggedV1,
  DatasetRegisteredV1,
  DatasetVersionRegisteredV1,
} from '../events/dataset.events';
import { PipelineRegisteredV1 } from '../events/pipeline.events';
import {
  EvaluationRecordedV1,
  TrainingRunCompletedV1,
  TrainingRunCompletedV2,
  TrainingRunStartedV1,
  TrainingRunStartedV2,
} from '../events/training-run.events';
import {
  ModelPromotedV1,
  ModelPromotionRejectedV1,
  ModelStageChangedV1,
  ModelVersionRegisteredV1,
  ModelVersionRevokedV1,
} from '../events/model-version.events';
import { DeploymentCreatedV1, DeploymentRevisedV1 } from '../events/deployment.events';
import { PredictionBatchRecordedV1, PredictionBatchRecordedV2 } from '../events/prediction.events';
import { SubjectErasedV1 } from '../events/privacy.events';
import { MessageRejectedV1, MessageRejectedV2 } from '../events/dead-letter.events';
import { AuditCheckpointSignedV1 } from '../events/audit.events';
import { OpenLineageRunEventReceivedV1 } from '../events/openlineage.events';

/** The payload shape of the current schema version of each event type. */
export interface CurrentPayloads {
  'dataset.registered': DatasetRegisteredV1;
  'dataset.version.registered': DatasetVersionRegisteredV1;
  'dataset.slice.defined': DataSliceDefinedV1;
  'dataset.slice.flagged': DataSliceFlaggedV1;
  'pipeline.registered': PipelineRegisteredV1;
  'training.run.started': TrainingRunStartedV2;
  'training.run.completed': TrainingRunCompletedV2;
  'evaluation.recorded': EvaluationRecordedV1;
  'model.version.registered': ModelVersionRegisteredV1;
  'model.stage.changed': ModelStageChangedV1;
  'model.promoted': ModelPromotedV1;
  'model.promotion.rejected': ModelPromotionRejectedV1;
  'model.version.revoked': ModelVersionRevokedV1;
  'deployment.created': DeploymentCreatedV1;
  'deployment.revised': DeploymentRevisedV1;
  'prediction.batch.recorded': PredictionBatchRecordedV2;
  'privacy.subject.erased': SubjectErasedV1;
  'deadletter.message.rejected': MessageRejectedV2;
  'audit.checkpoint.signed': AuditCheckpointSignedV1;
  'openlineage.run-event.received': OpenLineageRunEventReceivedV1;
}

export type EventType = keyof CurrentPayloads;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PayloadClass = new (...args: any[]) => object;

/** Who may publish an event type (producers emit only their own domain). */
export type ProducerDomain = 'data' | 'model' | 'inference' | 'platform';

export interface EventDefinition<T extends EventType = EventType> {
  type: T;
  topic: TopicName;
  domain: ProducerDomain;
  currentVersion: number;
  /** Payload class of every schema version still accepted on read. */
  versions: Readonly<Record<number, PayloadClass>>;
  /** The entity id the event is about: the envelope subject and Kafka key. */
  subjectOf: (payload: CurrentPayloads[T]) => string;
  /**
   * Payload paths whose values are sensitive: redacted
   * to their digest for roles without clearance. `[]` matches every element.
   */
  sensitivePaths: readonly string[];
  description: string;
}

function define<T extends EventType>(definition: EventDefinition<T>): EventDefinition<T> {
  return definition;
}

export const EVENT_CATALOG: { readonly [T in EventType]: EventDefinition<T> } = {
  'dataset.registered': define({
    type: 'dataset.registered',
    topic: Topics.training,
    domain: 'data',
    currentVersion: 1,
    versions: { 1: DatasetRegisteredV1 },
    subjectOf: (p) => p.datasetId,
    sensitivePaths: ['owner'],
    description: 'A dataset came under provenance tracking.',
  }),
  'dataset.version.registered': define({
    type: 'dataset.version.registered',
    topic: Topics.training,
    domain: 'data',
    currentVersion: 1,
    versions: { 1: DatasetVersionRegisteredV1 },
    subjectOf: (p) => p.datasetVersionId,
    sensitivePaths: [],
    description: 'An immutable dataset snapshot, identified by the digest of its manifest.',
  }),
  'dataset.slice.defined': define({
    type: 'dataset.slice.defined',
    topic: Topics.training,
    domain: 'data',
    currentVersion: 1,
    versions: { 1: DataSliceDefinedV1 },
    subjectOf: (p) => p.sliceId,
    sensitivePaths: ['criteria.filter'],
    description: 'A reproducible selection of rows of a dataset version.',
  }),
  'dataset.slice.flagged': define({
    type: 'dataset.slice.flagged',
    topic: Topics.training,
    domain: 'data',
    currentVersion: 1,
    versions: { 1: DataSliceFlaggedV1 },
    subjectOf: (p) => p.sliceId,
    sensitivePaths: [],
    description: 'A data slice was found faulty (for example a labeling bias).',
  }),
  'pipeline.registered': define({
    type: 'pipeline.registered',
    topic: Topics.training,
    domain: 'model',
    currentVersion: 1,
    versions: { 1: PipelineRegisteredV1 },
    subjectOf: (p) => p.pipelineId,
    sensitivePaths: [],
    description: 'A versioned preprocessing and feature pipeline.',
  }),
  'training.run.started': define({
    type: 'training.run.started',
    topic: Topics.training,
    domain: 'model',
    currentVersion: 2,
    versions: { 1: TrainingRunStartedV1, 2: TrainingRunStartedV2 },
    subjectOf: (p) => p.runId,
    sensitivePaths: [],
    description: 'A training run started on named data slices with a pipeline, hyperparameters and seeds.',
  }),
  'training.run.completed': define({
    type: 'training.run.completed',
    topic: Topics.training,
    domain: 'model',
    currentVersion: 2,
    versions: { 1: TrainingRunCompletedV1, 2: TrainingRunCompletedV2 },
    subjectOf: (p) => p.runId,
    sensitivePaths: [],
    description: 'A training run ended, with its outcome, metrics and any seeds it drew while running.',
  }),
  'evaluation.recorded': define({
    type: 'evaluation.recorded',
    topic: Topics.training,
    domain: 'model',
    currentVersion: 1,
    versions: { 1: EvaluationRecordedV1 },
    subjectOf: (p) => p.evaluationId,
    sensitivePaths: [],
    description: 'Metrics of a model version measured on a data slice.',
  }),
  'model.version.registered': define({
    type: 'model.version.registered',
    topic: Topics.registry,
    domain: 'model',
    currentVersion: 1,
    versions: { 1: ModelVersionRegisteredV1 },
    subjectOf: (p) => p.modelVersionId,
    sensitivePaths: [],
    description: 'A model artifact, with its digest, produced by a training run.',
  }),
  'model.stage.changed': define({
    type: 'model.stage.changed',
    topic: Topics.registry,
    domain: 'model',
    currentVersion: 1,
    versions: { 1: ModelStageChangedV1 },
    subjectOf: (p) => p.modelVersionId,
    sensitivePaths: [],
    description: 'A model version moved to another stage.',
  }),
  'model.promoted': define({
    type: 'model.promoted',
    topic: Topics.registry,
    domain: 'model',
    currentVersion: 1,
    versions: { 1: ModelPromotedV1 },
    subjectOf: (p) => p.modelVersionId,
    sensitivePaths: [],
    description: 'A promotion passed the provenance policy.',
  }),
  'model.promotion.rejected': define({
    type: 'model.promotion.rejected',
    topic: Topics.registry,
    domain: 'model',
    currentVersion: 1,
    versions: { 1: ModelPromotionRejectedV1 },
    subjectOf: (p) => p.modelVersionId,
    sensitivePaths: [],
    description: 'A promotion was refused, with every failing requirement.',
  }),
  'model.version.revoked': define({
    type: 'model.version.revoked',
    topic: Topics.registry,
    domain: 'model',
    currentVersion: 1,
    versions: { 1: ModelVersionRevokedV1 },
    subjectOf: (p) => p.modelVersionId,
    sensitivePaths: [],
    description: 'A model version must no longer serve.',
  }),
  'deployment.created': define({
    type: 'deployment.created',
    topic: Topics.registry,
    domain: 'model',
    currentVersion: 1,
    versions: { 1: DeploymentCreatedV1 },
    subjectOf: (p) => p.deploymentId,
    sensitivePaths: [],
    description: 'A deployment began serving a model version.',
  }),
  'deployment.revised': define({
    type: 'deployment.revised',
    topic: Topics.registry,
    domain: 'model',
    currentVersion: 1,
    versions: { 1: DeploymentRevisedV1 },
    subjectOf: (p) => p.deploymentId,
    sensitivePaths: [],
    description: 'A deployment switched to another model version.',
  }),
  'prediction.batch.recorded': define({
    type: 'prediction.batch.recorded',
    topic: Topics.inference,
    domain: 'inference',
    currentVersion: 2,
    versions: { 1: PredictionBatchRecordedV1, 2: PredictionBatchRecordedV2 },
    subjectOf: (p) => p.batchId,
    sensitivePaths: [
      'predictions[].output',
      'predictions[].featureSnapshot',
      'predictions[].dataSubject',
      'predictions[].sealedOutput',
      'predictions[].sealedFeatureSnapshot',
    ],
    description: 'A batch of predictions made by one deployment with one loaded artifact.',
  }),
  'privacy.subject.erased': define({
    type: 'privacy.subject.erased',
    topic: Topics.inference,
    domain: 'data',
    currentVersion: 1,
    versions: { 1: SubjectErasedV1 },
    subjectOf: (p) => p.dataSubject,
    sensitivePaths: [],
    description: "A data subject's keys were destroyed: the values sealed with them are erased, their digests remain.",
  }),
  'deadletter.message.rejected': define({
    type: 'deadletter.message.rejected',
    topic: Topics.deadLetter,
    domain: 'platform',
    currentVersion: 2,
    versions: { 1: MessageRejectedV1, 2: MessageRejectedV2 },
    subjectOf: (p) => p.deadLetterId,
    sensitivePaths: ['rawBase64'],
    description: 'A message was refused by the projector, kept with the reason and its bytes.',
  }),
  'audit.checkpoint.signed': define({
    type: 'audit.checkpoint.signed',
    topic: Topics.audit,
    domain: 'platform',
    currentVersion: 1,
    versions: { 1: AuditCheckpointSignedV1 },
    subjectOf: (p) => p.logId,
    sensitivePaths: [],
    description: 'A signed head of the tamper-evident audit log.',
  }),
  'openlineage.run-event.received': define({
    type: 'openlineage.run-event.received',
    topic: Topics.training,
    domain: 'data',
    currentVersion: 1,
    versions: { 1: OpenLineageRunEventReceivedV1 },
    subjectOf: (p) => p.eventKey,
    sensitivePaths: [],
    description: 'An OpenLineage RunEvent, kept as received, with the datasets, versions and slices it maps onto.',
  }),
};

export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_CATALOG, value);
}

export function eventDefinition<T extends EventType>(type: T): EventDefinition<T> {
  return EVENT_CATALOG[type] as EventDefinition<T>;
}
