import type {
  DataSliceDefinedV1,
  DataSliceFlaggedV1,
  DatasetRegisteredV1,
  DatasetVersionRegisteredV1,
  DeploymentCreatedV1,
  DeploymentRevisedV1,
  EvaluationRecordedV1,
  ModelStage,
  ModelStageChangedV1,
  ModelVersionRegisteredV1,
  ModelVersionRevokedV1,
  PipelineRegisteredV1,
  TrainingRunCompletedV2,
  TrainingRunStartedV2,
} from '@prov/contracts';

/** Request bodies of the services' API, derived from the event contracts they become. */
export type RegisterDataset = Omit<DatasetRegisteredV1, 'datasetId'>;
export type RegisterDatasetVersion = Omit<DatasetVersionRegisteredV1, 'datasetVersionId' | 'datasetId'> & {
  id?: string;
};
export type DefineSlice = Omit<DataSliceDefinedV1, 'sliceId'> & { id?: string };
export type FlagSlice = Omit<DataSliceFlaggedV1, 'sliceId'>;
export type RegisterPipeline = Omit<PipelineRegisteredV1, 'pipelineId'>;
export type StartRun = Omit<TrainingRunStartedV2, 'runId' | 'pipelineId'> & { runId?: string; pipeline: string };
export type CompleteRun = Omit<TrainingRunCompletedV2, 'runId'>;
export type RecordEvaluation = Omit<EvaluationRecordedV1, 'evaluationId'> & { evaluationId?: string };
export type RegisterModelVersion = Omit<ModelVersionRegisteredV1, 'modelVersionId' | 'name'>;
export type RevokeModelVersion = Omit<ModelVersionRevokedV1, 'modelVersionId'>;
export type ChangeStage = Omit<ModelStageChangedV1, 'modelVersionId'>;
export type CreateDeployment = Omit<DeploymentCreatedV1, 'deploymentId'>;
export type ReviseDeployment = Omit<DeploymentRevisedV1, 'deploymentId'>;

export interface Prediction {
  /** The client's request id. */
  id: string;
  at: string;
  inputDigest: string;
  outputDigest?: string;
  output?: unknown;
  featureSnapshot?: string;
  /** The person the prediction is about: the service seals output and feature snapshot with their key. */
  dataSubject?: string;
}

export interface EraseSubject {
  /** The reference of the erasure request, recorded with it. */
  reason: string;
}

export interface SubjectErased {
  dataSubject: string;
  /** What the events and views name the subject as: never its id (`psn:` and a keyed hash of it). */
  pseudonym: string;
  /** The subject's keys destroyed: by this call (201), or by the earlier erasures when none was left (200). */
  keysDestroyed: string[];
  /** When the last of them was destroyed. */
  erasedAt: string;
  /** The `privacy.subject.erased` event this call recorded (201 only: a repeated erasure records none). */
  eventId?: string;
}

export interface RotateKeyEncryptionKey {
  /** Why: a scheduled rotation, or the erasures it completes. */
  reason: string;
}

/** POST /v1/key-encryption-keys/rotation: the subject keys wrapped again under a new key-encryption key. */
export interface KeyEncryptionKeyRotated {
  /** The key-encryption key every live subject key is now wrapped under. */
  current: string;
  /** Live subject keys wrapped again. */
  rewrapped: number;
  /** Key-encryption keys destroyed: what they wrapped, an erased key's residue included, opens no more. */
  retired: string[];
}

export interface RecordPredictions {
  deployment: string;
  modelVersionId: string;
  artifactDigest: string;
  predictions: Prediction[];
}

/** What a write answers: the record's id, and whether this call created it. */
export interface Registered {
  id: string;
  created: boolean;
}

/** An accepted stage change, with the policies it was checked against (none: `model.stage.changed`). */
export interface StageChanged {
  id: string;
  stage: ModelStage;
  policies: Array<{ name: string; digest: string }>;
  eventIds: string[];
}

/**
 * What recording a batch of predictions answers: 201 when some were new
 * (published as batch `batchId`), 200 when every one was recorded before
 * with the same content (`duplicate`; nothing published). A prediction
 * recorded before with other content refuses the whole batch: a
 * ProvenanceApiError of status 409 whose details are PredictionConflicts.
 */
export type PredictionsAccepted = PredictionsRecorded | PredictionsAlreadyRecorded;

export interface PredictionsRecorded {
  /** How many predictions this call published. */
  accepted: number;
  batchId: string;
  /** Ids recorded before with the same content: skipped, the earlier record stands. */
  duplicates: string[];
  duplicate?: never;
}

export interface PredictionsAlreadyRecorded {
  accepted: 0;
  duplicate: true;
  duplicates: string[];
  /** The batch that recorded them all, or null when several did. */
  batchId: string | null;
}
