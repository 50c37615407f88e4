import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** The query of a paged route: the page after `cursor`, at most `limit` items. */
export class PageRequest {
  /** The `nextCursor` of the previous page. */
  @IsOptional() @IsString() @Length(1, 2048) cursor?: string;
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
