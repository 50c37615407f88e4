import { DomainError } from '@prov/contracts';

/**
 * An event id that cannot name a field of a view. Envelope validation admits
 * only UUIDv7 ids, so this means an unvalidated event reached the projection.
 */
export class UnsafeEventIdError extends DomainError {
  readonly kind = 'invalid' as const;
  readonly retriable = false;

  constructor(readonly eventId: string) {
    super(`event id ${JSON.stringify(eventId)} cannot key a view field (expected a UUIDv7)`);
  }
}
