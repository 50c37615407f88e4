import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class InclusionProofRequest {
  /** The checkpoint to prove against (its tree size); the log's latest by default. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) treeSize?: number;
}

export class ConsistencyProofRequest {
  @Matches(/^auditlog:[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, { message: 'log must be an audit log id (auditlog:<name>)' })
  log!: string;
  @Type(() => Number) @IsInt() @Min(1) from!: number;
  @Type(() => Number) @IsInt() @Min(1) to!: number;
}

export class LogEventsRequest {
  /** The first leaf index of the page. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) from?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class BundleRequest {
  @IsOptional() @IsIn(['standard', 'full']) level?: 'standard' | 'full';
  /** `true`: the trace shows sensitive values as their digests, for a reader without clearance. */
  @IsOptional() @IsIn(['true', 'false']) redact?: 'true' | 'false';
}
