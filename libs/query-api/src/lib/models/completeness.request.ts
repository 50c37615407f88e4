import { IsIn, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

export class CompletenessRequest {
  /** The capture level to check against, when no policy is named. */
  @IsOptional() @IsIn(['standard', 'full']) level?: 'standard' | 'full';
  /** A policy of PROV_POLICY_DIR, by its metadata.name. */
  @IsOptional() @Matches(/^[A-Za-z0-9._-]{1,128}$/) policy?: string;
  /** Who would approve the promotion (for the policy's separation of duties). */
  @IsOptional() @IsString() @Length(1, 256) approver?: string;
}

/** A policy document given in the request, for pipelines that check before they publish it. */
export class PolicyCheckRequest {
  /** The policy document (provenance/v1 ProvenancePolicy), as its YAML would parse; checked as a policy file is. */
  @IsObject()
  @JSONSchema({ $ref: '#/components/schemas/ProvenancePolicy' })
  policy!: Record<string, unknown>;
  @IsOptional() @IsString() @Length(1, 256) approver?: string;
}
