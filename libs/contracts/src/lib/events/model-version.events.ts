import { Type } from 'class-transformer';
import {
  IsObject,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsDigest, IsEntityId, IsName, IsVersionLabel } from '../validation/validators';
import { ManifestPart } from './dataset.events';

export const MODEL_STAGES = ['staging', 'production', 'archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

export const PROMOTION_STAGES = ['staging', 'production'] as const;
export type PromotionStage = (typeof PROMOTION_STAGES)[number];

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

export class ModelArtifact {
  @IsString()
  @Length(1, 2048)
  @Matches(URI, { message: 'uri must be a URI with a scheme, e.g. s3://bucket/model/' })
  uri!: string;
  /** sha256 of the model files' manifest (see libs/integrity artifactManifestDigest). */
  @IsDigest() digest!: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100_000)
  @ValidateNested({ each: true })
  @Type(() => ManifestPart)
  parts?: ManifestPart[];
}

/** `model.version.registered` v1: a trained artifact, produced by exactly one run. */
export class ModelVersionRegisteredV1 {
  @IsEntityId('modelVersion') modelVersionId!: string;
  @IsName() name!: string;
  @IsVersionLabel() version!: string;
  @IsEntityId('trainingRun') runId!: string;
  @IsObject() @ValidateNested() @Type(() => ModelArtifact) artifact!: ModelArtifact;
}

/** `model.stage.changed` v1: accepted stage transition. */
export class ModelStageChangedV1 {
  @IsEntityId('modelVersion') modelVersionId!: string;
  @IsIn(MODEL_STAGES) stage!: ModelStage;
  @IsOptional() @IsString() @Length(1, 256) approvedBy?: string;
}

/** `model.promoted` v1: a promotion that passed its provenance policy. */
export class ModelPromotedV1 {
  @IsEntityId('modelVersion') modelVersionId!: string;
  @IsIn(PROMOTION_STAGES) stage!: PromotionStage;
  /** Digest of the policy document the promotion was checked against. */
  @IsDigest() policyDigest!: string;
  @IsOptional() @IsString() @Length(1, 256) approvedBy?: string;
}

export class PolicyFailure {
  /** The requirement that failed, e.g. `lineage.seeds` or `evaluation[holdout-2025].auc>=0.8`. */
  @IsString() @Length(1, 512) requirement!: string;
  @IsString() @Length(1, 4000) problem!: string;
}

/** `model.promotion.rejected` v1: a refused promotion, with every failing requirement. */
export class ModelPromotionRejectedV1 {
  @IsEntityId('modelVersion') modelVersionId!: string;
  @IsIn(PROMOTION_STAGES) stage!: PromotionStage;
  @IsDigest() policyDigest!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PolicyFailure)
  failures!: PolicyFailure[];
}

/** `model.version.revoked` v1: a correction; predictions it made afterwards raise alerts. */
export class ModelVersionRevokedV1 {
  @IsEntityId('modelVersion') modelVersionId!: string;
  @IsString() @Length(1, 4000) reason!: string;
}
