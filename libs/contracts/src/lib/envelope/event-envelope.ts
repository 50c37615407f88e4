/**
 * The immutable, versioned wrapper around every provenance event. The
 * envelope is what travels on Kafka (keyed by `subject`) and what the audit
 * log commits to.
 */
export interface EventProducer {
  /** The service that accepted the request and published the event. */
  service: string;
  /** The authenticated principal on whose behalf the event was published. */
  principal: string;
}

export interface EventIntegrity {
  /** `sha256:<hex>` of the RFC 8785 canonical JSON of `payload`. */
  payloadDigest: string;
  /** Base64url Ed25519 signature of the envelope's signing input (see libs/integrity). */
  signature?: string;
  /** Identifies the producing service's public key that verifies `signature`. */
  keyId?: string;
}

export interface EventEnvelope<TType extends string = string, TPayload = unknown> {
  /** UUIDv7: unique, and ordered by creation time. */
  eventId: string;
  type: TType;
  schemaVersion: number;
  /** Entity id the event is about; the Kafka message key. */
  subject: string;
  /** The producer's claim of when it happened (ISO 8601). */
  occurredAt: string;
  /** When the receiving service accepted it (ISO 8601); trusted time. */
  recordedAt: string;
  producer: EventProducer;
  payload: TPayload;
  integrity: EventIntegrity;
  /**
   * Present only on events upcast on read: the schema version they were
   * published with. The integrity digest always covers the published payload.
   */
  upcastFrom?: number;
}
