import { IsString, Length } from 'class-validator';

/** POST /v1/key-encryption-keys/rotation. */
export class RotateKeyEncryptionKeyRequest {
  /** Why: a scheduled rotation, or the erasures it completes (a rotation is accountable, as an erasure is). */
  @IsString() @Length(1, 1024) reason!: string;
}
