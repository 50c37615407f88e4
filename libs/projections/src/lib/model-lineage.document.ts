import type {
  DataClassification,
  DataSliceCriteria,
  JsonObject,
  ModelStage,
  PipelineFeature,
  PipelineStep,
  RunEnvironment,
  SliceRole,
  TrainingInput,
} from '@prov/contracts';
import type { SliceFlag } from './dataset.projection';
import type { EventRef } from './event-ref';
import type { ModelDecision, ModelRevocation } from './model-version.projection';
import type { RunCompletion } from './training-run.projection';
import type { ViewDocument } from './view-store.port';

/**
 * `model_lineage`: one model version's whole upstream closure, so that a
 * trace is one point read. Parts not yet known are null (or `known: false`)
 * and named in `completeness`.
 */
export interface ModelLineageDocument extends ViewDocument {
  modelVersion: ModelVersionPart;
  run: RunPart | null;
  pipeline: PipelinePart | null;
  /** Every input slice of the run, by id. */
  slices: SlicePart[];
  /** The dataset versions of the known slices, by id. */
  datasetVersions: DatasetVersionPart[];
  /** The datasets of the known dataset versions, by id. */
  datasets: DatasetPart[];
  /** Evaluations of this model version, by slice then id. */
  evaluations: EvaluationPart[];
  /** Deployments that have served this model version in any revision. */
  deploymentIds: string[];
  // Index fields, so the reverse questions (which models used this slice?) are one indexed query.
  runId: string;
  pipelineId: string | null;
  sliceIds: string[];
  datasetVersionIds: string[];
  flaggedSliceIds: string[];
  completeness: LineageCompleteness;
}

export interface ModelVersionPart {
  id: string;
  name: string;
  version: string;
  runId: string;
  artifact: { uri: string; digest: string; partCount: number | null };
  event: EventRef;
  /** The stage of the latest stage change or passed promotion; null before any. */
  stage: ModelStage | null;
  decisions: ModelDecision[];
  revoked: boolean;
  revocations: ModelRevocation[];
}

export interface RunPart {
  id: string;
  pipelineId: string;
  inputs: TrainingInput[];
  hyperparameters: JsonObject;
  seeds: Record<string, number>;
  codeCommit: string;
  environment: RunEnvironment;
  startedAt: string;
  owner: string | null;
  event: EventRef;
  completion: RunCompletion | null;
}

export interface PipelinePart {
  id: string;
  name: string;
  version: string;
  codeDigest: string;
  steps: PipelineStep[];
  features: PipelineFeature[];
  event: EventRef;
}

export interface SliceUse {
  role: SliceRole;
  samplingFraction: number | null;
}

export interface SlicePart {
  id: string;
  /** False while the slice's definition has not arrived: its fields are then null. */
  known: boolean;
  datasetVersionId: string | null;
  criteria: DataSliceCriteria | null;
  labels: Record<string, string> | null;
  contentDigest: string | null;
  rowCount: number | null;
  /** The slice's roles in the run, and the fraction of it the run sampled in each. */
  roles: SliceRole[];
  uses: SliceUse[];
  flags: SliceFlag[];
  flagged: boolean;
  event: EventRef | null;
}

export interface DatasetVersionPart {
  id: string;
  known: boolean;
  datasetId: string | null;
  rowCount: number | null;
  source: string | null;
  tags: Record<string, string> | null;
  partCount: number | null;
  event: EventRef | null;
}

export interface DatasetPart {
  id: string;
  known: boolean;
  namespace: string | null;
  name: string | null;
  owner: string | null;
  description: string | null;
  classification: DataClassification | null;
  event: EventRef | null;
}

export interface EvaluationPart {
  id: string;
  sliceId: string;
  metrics: Record<string, number>;
  event: EventRef;
}

export interface CompletenessLevel {
  complete: boolean;
  /** Paths of what is missing, e.g. `run`, `slices[slice:sha256:...]`, `run.seeds`. */
  missing: string[];
}

export interface LineageCompleteness {
  standard: CompletenessLevel;
  full: CompletenessLevel;
}
