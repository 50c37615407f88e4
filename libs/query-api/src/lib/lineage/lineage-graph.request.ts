import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

const integer = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

export class LineageGraphRequest {
  @IsOptional() @IsIn(['upstream', 'downstream', 'both']) direction?: 'upstream' | 'downstream' | 'both';
  /** Edges to follow from the node (0 is the node alone). */
  @IsOptional() @Transform(integer) @IsInt() @Min(0) @Max(20) depth?: number;
  /** Most nodes in the answer; the graph says `truncated` when more were in reach. */
  @IsOptional() @Transform(integer) @IsInt() @Min(1) @Max(5000) maxNodes?: number;
}
