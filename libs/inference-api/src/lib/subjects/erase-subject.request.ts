import { IsString, Length } from 'class-validator';

/** POST /v1/subjects/{dataSubject}/erasure. */
export class EraseSubjectRequest {
  /** Why: the reference of the erasure request, recorded in the erasure event (an erasure is accountable). */
  @IsString() @Length(1, 1024) reason!: string;
}
