import { IsOptional, IsString, Length } from 'class-validator';

/** POST /v1/subjects/{dataSubject}/erasure. */
export class EraseSubjectRequest {
  /** Why (e.g. the reference of the erasure request); recorded in the erasure event. */
  @IsOptional() @IsString() @Length(1, 1024) reason?: string;
}
