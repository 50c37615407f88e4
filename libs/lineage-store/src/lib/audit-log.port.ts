import type { SignedCheckpoint, SubtreeAddress } from '@prov/integrity';

/** One accepted event's place in its partition's Merkle log. */
export interface AuditLeaf {
  logId: string;
  /** Position in the log: dense from 0, in the partition's offset order. */
  index: number;
  eventId: string;
  /** Where the event is on the event log (its partition is the log's). */
  offset: string;
  /** Lowercase hex of the RFC 9162 leaf hash of the event's canonical JSON. */
  leafHash: string;
}

/** A leaf with the event it was made from: the RFC 8785 canonical JSON of the envelope as published. */
export interface AuditRecord extends AuditLeaf {
  envelope: string;
}

/**
 * A public key that signed what the audit log holds (checkpoints, or events
 * it accepted), so that an offline verifier gets every key with the proofs.
 */
export interface AuditKey {
  keyId: string;
  /** The service the key signs for. */
  service: string;
  /** SPKI PEM. */
  publicKey: string;
}

/** A complete subtree's root (level 1 and up; level 0 are the leaves). */
export interface AuditNode {
  logId: string;
  level: number;
  index: number;
  hash: string;
}

/** How far a partition's log has grown, and what it needs to go on without reading its leaves. */
export interface AuditLogState {
  logId: string;
  topic: string;
  partition: number;
  treeSize: number;
  /** Hex roots of the complete subtrees the size is made of, by level (MerkleAccumulator's frontier). */
  frontier: Array<string | null>;
  /** The next event-log offset of the partition to consider. */
  nextOffset: string;
}

/**
 * The tamper-evident audit log: one append-only Merkle log per event-log
 * partition (a partition's order is fixed, so a replay appends the same
 * leaves in the same order and reproduces the same roots), the roots of
 * its complete subtrees (so a proof is O(log n) point reads), and the
 * signed checkpoints. Unlike view generations it is never rebuilt in place.
 */
export interface AuditLogStore {
  states(): Promise<AuditLogState[]>;
  state(logId: string): Promise<AuditLogState | undefined>;
  /**
   * Writes leaves (with their events) and the subtree roots they completed, then the log's new
   * state, last: a crash in between leaves the old state, and the replayed
   * batch writes the very same documents again.
   */
  append(records: AuditRecord[], nodes: AuditNode[], state: AuditLogState): Promise<void>;
  leafByEventId(eventId: string): Promise<AuditLeaf | undefined>;
  /** The leaf of an event with the event as published, for bundles and exports. */
  recordByEventId(eventId: string): Promise<AuditRecord | undefined>;
  /** Up to `limit` leaves of a log from index `from` on, in log order, with their events. */
  records(logId: string, from: number, limit: number): Promise<AuditRecord[]>;
  /** Keeps these keys (by key id; a key seen again is left as it is). */
  saveKeys(keys: AuditKey[]): Promise<void>;
  /** Every key kept, by key id. */
  keys(): Promise<AuditKey[]>;
  /** The hashes at these addresses of a log (level 0: leaf hashes), keyed `<level>/<index>`; absent ones are left out. */
  nodes(logId: string, addresses: readonly SubtreeAddress[]): Promise<Map<string, string>>;
  saveCheckpoint(checkpoint: SignedCheckpoint): Promise<void>;
  /** The latest checkpoint of every log, by log id. */
  latestCheckpoints(): Promise<SignedCheckpoint[]>;
  /** The latest checkpoint of one log (one point read: an inclusion proof asks it every time). */
  latestCheckpoint(logId: string): Promise<SignedCheckpoint | undefined>;
  checkpoint(logId: string, treeSize: number): Promise<SignedCheckpoint | undefined>;
  /** Every checkpoint of a log, oldest first. */
  checkpoints(logId: string): Promise<SignedCheckpoint[]>;
}

export const nodeKey = (level: number, index: number) => `${level}/${index}`;
