import { IsIn, IsOptional, Matches } from 'class-validator';
import { REJECTION_REASONS, RejectionReason } from '@prov/contracts';
import { PageRequest } from '../paging/page.request';

export class DeadLettersRequest extends PageRequest {
  /** Only the dead letters refused for this reason. */
  @IsOptional() @IsIn(REJECTION_REASONS) reason?: RejectionReason;
  /** Only the messages refused on this topic (as the dead letters name it), e.g. provenance.inference.v1. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,249}$/, { message: 'topic must be a topic name ([A-Za-z0-9._-], 1 to 249)' })
  topic?: string;
}
