import { ArrayMaxSize, IsArray, IsBase64, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsDigest } from '../validation/validators';

/** A data subject: the person (or other party) sensitive values are about, by an opaque id of the producer's. */
export const DATA_SUBJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;
/** A key that seals one data subject's values. */
export const SUBJECT_KEY_ID_PATTERN = /^subjectkey:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A sensitive value encrypted with its data subject's key (AES-256-GCM), so
 * that destroying the key erases it while the event, its digest and its
 * place in the audit log stay as they were. `digest` is the digest of the
 * value itself: what a redacted or erased value is shown as.
 */
export class SealedValue {
  @IsIn(['A256GCM']) alg!: 'A256GCM';
  @Matches(SUBJECT_KEY_ID_PATTERN, { message: 'keyId must be a subject key id (subjectkey:<uuid>)' }) keyId!: string;
  /** The 96-bit GCM nonce, base64. */
  @IsBase64() @Length(16, 16) nonce!: string;
  /** Ciphertext followed by the 128-bit authentication tag, base64. */
  @IsBase64() @Length(24, 2_000_000) ciphertext!: string;
  @IsDigest() digest!: string;
}

/**
 * `privacy.subject.erased` v1: a data subject's keys were destroyed. Every
 * value sealed with them is unreadable from then on, everywhere (events,
 * views, exports); their digests remain.
 */
export class SubjectErasedV1 {
  @Matches(DATA_SUBJECT_PATTERN, {
    message: 'dataSubject must be a subject id of letters, digits, ".", "_", ":", "@" or "-"',
  })
  dataSubject!: string;
  /** The keys destroyed by this erasure (none when the subject had none left). */
  @IsArray()
  @ArrayMaxSize(10_000)
  @Matches(SUBJECT_KEY_ID_PATTERN, { each: true, message: 'each key id must be a subject key id' })
  keyIds!: string[];
  @IsOptional() @IsString() @Length(1, 1024) reason?: string;
}
