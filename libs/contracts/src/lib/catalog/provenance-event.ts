import type { EventEnvelope } from '../envelope/event-envelope';
import type { CurrentPayloads, EventType } from './event-catalog';

/** Any provenance event at its current schema version: a union discriminated on `type`. */
export type ProvenanceEvent = { [T in EventType]: EventEnvelope<T, CurrentPayloads[T]> }[EventType];

/** The event of one type, at its current schema version. */
export type EventOf<T extends EventType> = EventEnvelope<T, CurrentPayloads[T]>;
