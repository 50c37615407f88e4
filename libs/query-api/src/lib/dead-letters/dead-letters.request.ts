import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { REJECTION_REASONS, RejectionReason } from '@prov/contracts';

export class DeadLettersRequest {
  /** Only the dead letters refused for this reason. */
  @IsOptional() @IsIn(REJECTION_REASONS) reason?: RejectionReason;
  /** Only the messages refused on this topic (as the dead letters name it), e.g. provenance.inference.v1. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,249}$/, { message: 'topic must be a topic name ([A-Za-z0-9._-], 1 to 249)' })
  topic?: string;
  /** The `nextCursor` of the previous page. */
  @IsOptional() @IsString() @Length(1, 2048) cursor?: string;
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
