import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Min } from 'class-validator';

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
