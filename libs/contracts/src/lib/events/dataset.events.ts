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
  IsDigest,
  IsEntityId,
  IsJsonValue,
  IsName,
  IsSha256Hex,
  IsStringMap,
  IsTimestamp,
} from '../validation/validators';
import type { JsonValue } from '../validation/json-value';

export const DATA_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

export const FLAG_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type FlagSeverity = (typeof FLAG_SEVERITIES)[number];

export const MAX_MANIFEST_PARTS = 100_000;

/** `dataset.registered` v1: a named dataset came under provenance tracking. */
export class DatasetRegisteredV1 {
  @IsEntityId('dataset') datasetId!: string;
  @IsName() namespace!: string;
  @IsName() name!: string;
  @IsString() @Length(1, 256) owner!: string;
  @IsOptional() @IsString() @Length(0, 4000) description?: string;
  @IsOptional() @IsIn(DATA_CLASSIFICATIONS) classification?: DataClassification;
}

/** One file of a dataset snapshot's manifest. */
export class ManifestPart {
  @IsString() @Length(1, 4096) path!: string;
  @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) sizeBytes!: number;
  @IsSha256Hex() sha256!: string;
}

/**
 * `dataset.version.registered` v1: an immutable snapshot. Its id is the
 * digest of its manifest, so the same bytes always get the same id.
 */
export class DatasetVersionRegisteredV1 {
  @IsEntityId('datasetVersion') datasetVersionId!: string;
  @IsEntityId('dataset') datasetId!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MANIFEST_PARTS)
  @ValidateNested({ each: true })
  @Type(() => ManifestPart)
  parts!: ManifestPart[];
  @IsOptional() @IsInt() @Min(0) rowCount?: number;
  @IsString() @Length(1, 2048) source!: string;
  @IsOptional() @IsStringMap() tags?: Record<string, string>;
}

export class TimeRange {
  @IsTimestamp() from!: string;
  @IsTimestamp() to!: string;
}

export class SamplingCriteria {
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(Number.MIN_VALUE) @Max(1) fraction!: number;
  @IsInt() seed!: number;
}

/** What selects a slice's rows out of its dataset version. */
export class DataSliceCriteria {
  @IsOptional() @IsObject() @ValidateNested() @Type(() => TimeRange) timeRange?: TimeRange;
  @IsOptional() @IsString() @Length(1, 2048) source?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SamplingCriteria) sampling?: SamplingCriteria;
  /** A filter expression or structured predicate, kept as given. */
  @IsOptional() @IsJsonValue() filter?: JsonValue;
}

/** `dataset.slice.defined` v1: a reproducible selection of a dataset version. */
export class DataSliceDefinedV1 {
  @IsEntityId('dataSlice') sliceId!: string;
  @IsEntityId('datasetVersion') datasetVersionId!: string;
  @IsObject() @ValidateNested() @Type(() => DataSliceCriteria) criteria!: DataSliceCriteria;
  @IsOptional() @IsStringMap() labels?: Record<string, string>;
  @IsOptional() @IsDigest() contentDigest?: string;
  @IsOptional() @IsInt() @Min(0) rowCount?: number;
}

/** `dataset.slice.flagged` v1: a correction; models and predictions it touched are reported. */
export class DataSliceFlaggedV1 {
  @IsEntityId('dataSlice') sliceId!: string;
  @IsString() @Length(1, 4000) reason!: string;
  @IsIn(FLAG_SEVERITIES) severity!: FlagSeverity;
}
