import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsDigest, IsEntityId, IsJsonValue, IsTimestamp } from '../validation/validators';
import type { JsonValue } from '../validation/json-value';

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
