import { Type } from 'class-transformer';
import { IsObject, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsDigest, IsEntityId, IsName, IsTimestamp } from '../validation/validators';

export const CAPTURE_LEVELS = ['standard', 'full'] as const;
export type CaptureLevel = (typeof CAPTURE_LEVELS)[number];

/** The provenance policy a deployment declares (the policy document itself lives with the deploying team). */
export class DeploymentPolicy {
  @IsIn(CAPTURE_LEVELS) captureLevel!: CaptureLevel;
  @IsOptional() @IsString() @Length(1, 256) policyId?: string;
  @IsOptional() @IsDigest() policyDigest?: string;
}

/**
 * `deployment.created` v1: its first revision serves `modelVersionId` from
 * `effectiveFrom`, or from when the event was recorded when absent.
 */
export class DeploymentCreatedV1 {
  @IsEntityId('deployment') deploymentId!: string;
  @IsName() name!: string;
  @IsEntityId('modelVersion') modelVersionId!: string;
  @IsString() @Length(1, 2048) endpoint!: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DeploymentPolicy) policy?: DeploymentPolicy;
  @IsOptional() @IsTimestamp() effectiveFrom?: string;
}

/**
 * `deployment.revised` v1: from `effectiveFrom` (or from when the event was
 * recorded) the deployment serves another model version.
 */
export class DeploymentRevisedV1 {
  @IsEntityId('deployment') deploymentId!: string;
  @IsEntityId('modelVersion') modelVersionId!: string;
  @IsOptional() @IsTimestamp() effectiveFrom?: string;
}
