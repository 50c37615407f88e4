import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsDigest, IsEntityId, IsJsonValue, IsTimestamp } from '../validation/validators';
import type { JsonValue } from '../validation/json-value';
import { DATA_SUBJECT_PATTERN, SealedValue } from './privacy.events';

export const MAX_PREDICTIONS_PER_BATCH = 10_000;

export class PredictionRecord {
  @IsEntityId('prediction') predictionId!: string;
  @IsTimestamp() at!: string;
  @IsDigest() inputDigest!: string;
  @IsOptional() @IsDigest() outputDigest?: string;
  /** The output values; sensitive, kept only at the full capture level. */
  @IsOptional() @IsJsonValue() output?: JsonValue;
  /** Reference to the feature values used (e.g. a feature-store snapshot key). */
  @IsOptional() @IsString() @Length(1, 1024) featureSnapshot?: string;
}

/**
 * `prediction.batch.recorded` v1: many predictions in one event, so that
 * volume stays cheap. All were made by one deployment with one loaded artifact.
 */
export class PredictionBatchRecordedV1 {
  @IsEntityId('predictionBatch') batchId!: string;
  @IsEntityId('deployment') deploymentId!: string;
  @IsEntityId('modelVersion') modelVersionId!: string;
  /** Digest of the artifact the serving process actually loaded. */
  @IsDigest() artifactDigest!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PREDICTIONS_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => PredictionRecord)
  predictions!: PredictionRecord[];
}

/**
 * A prediction of `prediction.batch.recorded` v2: it may name the data
 * subject it is about, whose key then seals its output and feature snapshot
 * (they are never in the event in the clear).
 */
export class PredictionRecordV2 extends PredictionRecord {
  @IsOptional()
  @Matches(DATA_SUBJECT_PATTERN, {
    message: 'dataSubject must be a subject id of letters, digits, ".", "_", ":", "@" or "-" (at most 200)',
  })
  dataSubject?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SealedValue) sealedOutput?: SealedValue;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SealedValue) sealedFeatureSnapshot?: SealedValue;
}

/** `prediction.batch.recorded` v2: v1 with predictions that may be sealed for their data subject. */
export class PredictionBatchRecordedV2 {
  @IsEntityId('predictionBatch') batchId!: string;
  @IsEntityId('deployment') deploymentId!: string;
  @IsEntityId('modelVersion') modelVersionId!: string;
  @IsDigest() artifactDigest!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PREDICTIONS_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => PredictionRecordV2)
  predictions!: PredictionRecordV2[];
}
