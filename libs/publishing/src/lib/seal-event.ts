import { CurrentPayloads, EVENT_CATALOG, EventEnvelope, EventOf, EventType } from '@prov/contracts';
import { payloadDigest, signEnvelope } from '@prov/integrity';
import type { KeyObject } from 'node:crypto';

export interface EnvelopeSigner {
  keyId: string;
  privateKey: KeyObject;
}

export interface SealInput<T extends EventType> {
  type: T;
  payload: CurrentPayloads[T];
  /** The producer's claim of when it happened; defaults to now. */
  occurredAt?: string;
}

export interface SealContext {
  eventId: string;
  /** The receiving service's clock: trusted time. */
  recordedAt: string;
  service: string;
  principal: string;
  signer?: EnvelopeSigner;
}

/**
 * Wraps a payload in its envelope at the current schema version: subject
 * from the catalog, digest of the canonical payload, and the service's
 * signature. Pure: ids and clock come from the caller.
 */
export function sealEvent<T extends EventType>(input: SealInput<T>, context: SealContext): EventOf<T> {
  const definition = EVENT_CATALOG[input.type];
  const envelope: EventEnvelope<T, CurrentPayloads[T]> = {
    eventId: context.eventId,
    type: input.type,
    schemaVersion: definition.currentVersion,
    subject: (definition.subjectOf as (payload: CurrentPayloads[T]) => string)(input.payload),
    occurredAt: input.occurredAt ?? context.recordedAt,
    recordedAt: context.recordedAt,
    producer: { service: context.service, principal: context.principal },
    payload: input.payload,
    integrity: { payloadDigest: payloadDigest(input.payload) },
  };
  return context.signer ? signEnvelope(envelope, context.signer.privateKey, context.signer.keyId) : envelope;
}
