import { Type } from 'class-transformer';
import {
  IsObject,
  ArrayMaxSize,
  IsArray,
  IsBase64,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsEntityId } from '../validation/validators';

export const REJECTION_REASONS = [
  'unparseable',
  'invalid-envelope',
  'invalid-payload',
  'unknown-type',
  'unsupported-version',
  'payload-digest-mismatch',
  'bad-signature',
  'forbidden-producer',
  /** v2: an event id already accepted with another digest (the first one stands). */
  'conflicting-event',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** The reasons `deadletter.message.rejected` v1 could name. */
export const REJECTION_REASONS_V1 = REJECTION_REASONS.filter((reason) => reason !== 'conflicting-event');

/** Max bytes of the original message kept in a dead letter (base64 of at most 1 MiB). */
export const MAX_DEAD_LETTER_BYTES = 1024 * 1024;

export class MessagePosition {
  @IsString() @Length(1, 249) topic!: string;
  @IsInt() @Min(0) partition!: number;
  /** Kafka offsets are 64-bit; kept as a decimal string. */
  @Matches(/^\d{1,19}$/) offset!: string;
  @IsOptional() @IsString() @Length(0, 4096) key?: string;
}

export class ValidationProblemRecord {
  @IsString() @Length(0, 1024) path!: string;
  @IsString() @Length(1, 4000) problem!: string;
}

/** What every version of `deadletter.message.rejected` holds: a refused message, why, and its exact bytes. */
abstract class MessageRejectedBase {
  @IsEntityId('deadLetter') deadLetterId!: string;
  @IsObject() @ValidateNested() @Type(() => MessagePosition) source!: MessagePosition;
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ValidationProblemRecord)
  problems!: ValidationProblemRecord[];
  /** The original message value, base64; truncated to MAX_DEAD_LETTER_BYTES (see `truncated`). */
  @IsString() @Length(0, 1_400_000) @IsBase64() rawBase64!: string;
  @IsOptional() @IsBoolean() truncated?: boolean;
  @IsString() @Length(1, 256) rejectedBy!: string;
}

/** `deadletter.message.rejected` v1. */
export class MessageRejectedV1 extends MessageRejectedBase {
  @IsIn(REJECTION_REASONS_V1) reason!: Exclude<RejectionReason, 'conflicting-event'>;
}

/** `deadletter.message.rejected` v2: as v1, and the reason may be `conflicting-event`. */
export class MessageRejectedV2 extends MessageRejectedBase {
  @IsIn(REJECTION_REASONS) reason!: RejectionReason;
}
