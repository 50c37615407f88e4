import type { EventProducer, ProvenanceEvent } from '@prov/contracts';

/**
 * What a view keeps of the event behind each fact, so that a trace can show
 * (and a verifier re-check) the integrity of every link it follows.
 */
export interface EventRef {
  eventId: string;
  type: string;
  schemaVersion: number;
  /** The version the event was published with, when it was upcast on read: the digest covers that payload. */
  upcastFrom?: number;
  recordedAt: string;
  occurredAt: string;
  payloadDigest: string;
  producer: EventProducer;
}

export function eventRefOf(event: ProvenanceEvent): EventRef {
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    ...(event.upcastFrom === undefined ? {} : { upcastFrom: event.upcastFrom }),
    recordedAt: event.recordedAt,
    occurredAt: event.occurredAt,
    payloadDigest: event.integrity.payloadDigest,
    producer: { service: event.producer.service, principal: event.producer.principal },
  };
}
