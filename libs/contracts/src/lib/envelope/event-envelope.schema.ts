import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { EVENT_TYPES } from '../catalog/event-catalog';
import { IsDigest, IsTimestamp } from '../validation/validators';

export class EventProducerFields {
  @IsString() @Length(1, 128) service!: string;
  @IsString() @Length(1, 256) principal!: string;
}

export class EventIntegrityFields {
  @IsDigest() payloadDigest!: string;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{86}$/, { message: 'signature must be a base64url Ed25519 signature (86 characters)' })
  signature?: string;
  @IsOptional() @IsString() @Length(1, 128) keyId?: string;
}

/** The envelope's fields, validated before its payload (see validate-event.ts). */
export class EventEnvelopeFields {
  @IsUUID('7', { message: 'eventId must be a UUIDv7' }) eventId!: string;
  @IsIn(EVENT_TYPES, { message: 'type must be a known event type' }) type!: string;
  @IsInt() @Min(1) schemaVersion!: number;
  @IsString() @Length(1, 512) subject!: string;
  @IsTimestamp() occurredAt!: string;
  @IsTimestamp() recordedAt!: string;
  @IsObject() @ValidateNested() @Type(() => EventProducerFields) producer!: EventProducerFields;
  @IsDefined() @IsObject() payload!: object;
  @IsObject() @ValidateNested() @Type(() => EventIntegrityFields) integrity!: EventIntegrityFields;
  /** Set on events upcast on read: the schema version they were published with. */
  @IsOptional() @IsInt() @Min(1) upcastFrom?: number;
}
