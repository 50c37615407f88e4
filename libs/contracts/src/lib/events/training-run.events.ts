import { Type } from 'class-transformer';
import {
  IsObject,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  IsContentReference,
  IsEntityId,
  IsJsonObject,
  IsMetricMap,
  IsSeedMap,
  IsStringMap,
  IsTimestamp,
} from '../validation/validators';
import type { JsonObject } from '../validation/json-value';

export const SLICE_ROLES = ['train', 'validation', 'test'] as const;
export type SliceRole = (typeof SLICE_ROLES)[number];

export const RUN_OUTCOMES = ['succeeded', 'failed', 'cancelled'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** A data slice a run consumed, in a role, possibly sub-sampled further. */
export class TrainingInput {
  @IsEntityId('dataSlice') sliceId!: string;
  @IsIn(SLICE_ROLES) role!: SliceRole;
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(Number.MIN_VALUE)
  @Max(1)
  samplingFraction?: number;
}

/** Where the run executed: enough to rebuild the environment. */
export class RunEnvironment {
  /** Container image the run used, e.g. `sha256:<hex>` or `oci:registry/image@sha256:<hex>`. */
  @IsOptional() @IsContentReference() imageDigest?: string;
  /** Library name -> exact version. */
  @IsOptional() @IsStringMap() libraries?: Record<string, string>;
  /** Hardware, OS, accelerator and similar facts. */
  @IsOptional() @IsStringMap() platform?: Record<string, string>;
}

class TrainingRunStartedBase {
  @IsEntityId('trainingRun') runId!: string;
  @IsEntityId('pipeline') pipelineId!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => TrainingInput)
  inputs!: TrainingInput[];
  @IsJsonObject() hyperparameters!: JsonObject;
  @IsString() @Length(1, 256) codeCommit!: string;
  @IsObject() @ValidateNested() @Type(() => RunEnvironment) environment!: RunEnvironment;
  @IsTimestamp() startedAt!: string;
  /** Who owns the run (for separation of duties); defaults to the publishing principal. */
  @IsOptional() @IsString() @Length(1, 256) owner?: string;
}

/**
 * `training.run.started` v1, superseded: one global seed. Still accepted from
 * older producers and upcast to v2 on read (versioning/).
 */
export class TrainingRunStartedV1 extends TrainingRunStartedBase {
  @IsInt() seed!: number;
}

/** `training.run.started` v2: seeds by purpose (python, numpy, torch, data shuffling...). */
export class TrainingRunStartedV2 extends TrainingRunStartedBase {
  @IsSeedMap() seeds!: Record<string, number>;
}

/** `training.run.completed` v1, superseded: outcome and metrics only. */
export class TrainingRunCompletedV1 {
  @IsEntityId('trainingRun') runId!: string;
  @IsIn(RUN_OUTCOMES) status!: RunOutcome;
  @IsTimestamp() endedAt!: string;
  @IsOptional() @IsMetricMap() metrics?: Record<string, number>;
}

/**
 * `training.run.completed` v2: may also report seeds the run only knew once it
 * had run (drawn at run time, or set by a framework). They add to the start's
 * seeds; a purpose the start already seeded keeps the start's value.
 */
export class TrainingRunCompletedV2 extends TrainingRunCompletedV1 {
  @IsOptional() @IsSeedMap() seeds?: Record<string, number>;
}

/** `evaluation.recorded` v1: metrics of a model version measured on a slice. */
export class EvaluationRecordedV1 {
  @IsEntityId('evaluation') evaluationId!: string;
  @IsEntityId('modelVersion') modelVersionId!: string;
  @IsEntityId('dataSlice') sliceId!: string;
  @IsMetricMap() metrics!: Record<string, number>;
}
