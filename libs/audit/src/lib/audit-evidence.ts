import type { InclusionProof, SignedCheckpoint } from '@prov/integrity';

/** A public key a verifier may be given: its id (`ed25519:…`), the service it signs for, and SPKI PEM. */
export interface PublicKeyRecord {
  keyId: string;
  service: string;
  publicKey: string;
}

/**
 * One event of an audit log, in log order: the envelope exactly as it was
 * published (a parsed JSON value; its canonical JSON is the leaf's data),
 * and what the platform recorded of its place, when known.
 */
export interface LoggedEvent {
  logId: string;
  event: unknown;
  /** The leaf index the platform gave it. */
  index?: number;
  offset?: string;
  /** The leaf hash (hex) the platform stored for it. */
  leafHash?: string;
}

/** What a full verification reads: every event of every log, in log order, and the signed checkpoints. */
export interface AuditLogEvidence {
  events: LoggedEvent[];
  checkpoints: SignedCheckpoint[];
}

export interface AuditTrust {
  /** The keys of the platform (checkpoints) and of the producers (events). */
  keys: PublicKeyRecord[];
  /** The services whose keys may sign checkpoints (the projector's by default). */
  checkpointSigners?: string[];
  /** Unsigned events pass only when this is false (a development setting, as in the projector). */
  requireSignatures?: boolean;
  /**
   * Events after the last signed checkpoint of their log are a divergence
   * (`not-checkpointed`) only when this is true: they verify one by one, but
   * no signed root commits to them yet. Either way `verifiedTreeSize` says
   * how much of each log a checkpoint covers.
   */
  requireCheckpoint?: boolean;
}

export type DivergenceKind =
  /** The payload's digest is not the one the envelope claims. */
  | 'payload-digest'
  /** The envelope's signature does not verify, names an unknown key, or a key of another service. */
  | 'event-signature'
  /** The event is not the one the platform logged at this place (its leaf differs). */
  | 'leaf-hash'
  /** The platform's stored leaf differs from the event, while the event agrees with the signed root. */
  | 'stored-leaf'
  /** The event logged at this place is missing (a later one comes in its stead). */
  | 'missing-event'
  /** Events appear in another order than the one they were logged in. */
  | 'out-of-order'
  /** An event id is logged twice (a copy of an event appended again, on its log or another): a leaf is once. */
  | 'duplicate-event'
  /** A checkpoint's signature does not verify with a trusted checkpoint key. */
  | 'checkpoint-signature'
  /** The root recomputed from the events is not the signed one. */
  | 'checkpoint-root'
  /** A checkpoint covers more events than there are. */
  | 'checkpoint-beyond-log'
  /** Events that no signed checkpoint covers, when every event must be (`requireCheckpoint`). */
  | 'not-checkpointed'
  /** Two signed checkpoints of one log disagree (same size, different roots: a fork). */
  | 'checkpoint-fork'
  /** A bundle's inclusion proof does not lead from the event's leaf to its checkpoint's root. */
  | 'inclusion-proof'
  /** A value of a bundle's trace (or a stored view document) differs from what its events fold to. */
  | 'trace-field'
  /** An event the trace names is not in the bundle, or cannot be read. */
  | 'unreadable-event';

/** The first place where the evidence and its commitments part, exactly. */
export interface Divergence {
  kind: DivergenceKind;
  logId?: string;
  /** Position in the log (leaf index). */
  index?: number;
  eventId?: string;
  /** For `trace-field`: the view document the value came from (`predictions/pred:1`) and the trace path. */
  document?: string;
  path?: string;
  expected: string;
  found: string;
  message: string;
}

export interface LogSummary {
  logId: string;
  events: number;
  checkpoints: number;
  /** The largest checkpoint whose root and signature were verified: the first this many events are covered. */
  verifiedTreeSize: number;
}

export interface AuditVerificationReport {
  ok: boolean;
  logs: LogSummary[];
  /** The first divergence (by log id, then position). */
  divergence?: Divergence;
  /** The first divergence of each log that has one. */
  divergences: Divergence[];
}

/** An event of a bundle with its inclusion proof (the bundle carries the checkpoints once, beside). */
export interface BundledEvent extends Omit<InclusionProof, 'checkpoint'> {
  /** The envelope exactly as published. */
  event: unknown;
}

export const BUNDLE_FORMAT = 'provenance-audit-bundle/v1';

/** One prediction's record, verifiable with no access to the platform (DESIGN.md section 5). */
export interface AuditBundle {
  format: typeof BUNDLE_FORMAT;
  predictionId: string;
  createdAt: string;
  level: 'standard' | 'full';
  /** Whether sensitive values of the trace are shown as their digests. */
  redacted: boolean;
  /** The trace as the gateway answered it. */
  trace: unknown;
  /** Every event the trace's views were folded from, with its inclusion proof. */
  events: BundledEvent[];
  /** The signed checkpoint each proof leads to (one per log). */
  checkpoints: SignedCheckpoint[];
  keys: PublicKeyRecord[];
}
