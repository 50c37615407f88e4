import type { RejectionReason, ValidationProblem } from '@prov/contracts';
import type { ConsumedPosition } from '../lineage-store.port';

/**
 * A message the projector refused, as auditors list it: why, where it was,
 * and its first bytes only (a dead letter may carry up to 1 MiB of them).
 */
export interface DeadLetter {
  /** `deadletter:<topic>/<partition>/<offset>`: the refused message's position. */
  deadLetterId: string;
  reason: RejectionReason;
  problems: ValidationProblem[];
  /** Where the refused message is on the event log. */
  source: { topic: string; partition: number; offset: string; key?: string };
  /** The service that refused it. */
  rejectedBy: string;
  /** When it was refused (the dead letter's recorded time, ISO 8601 UTC with milliseconds). */
  recordedAt: string;
  /** The message's first bytes (at most DEAD_LETTER_HEAD_BYTES), base64. */
  messageHeadBase64: string;
  /** Whether the message is longer than its head. */
  messageTruncated: boolean;
}

/** The most bytes of a refused message a listed dead letter shows. */
export const DEAD_LETTER_HEAD_BYTES = 256;

/** Where a listing goes on from: the last dead letter of the previous page. */
export interface DeadLetterListPosition {
  recordedAt: string;
  deadLetterId: string;
}

export interface DeadLetterQuery {
  reason?: RejectionReason;
  /** The refused message's topic. */
  topic?: string;
  /** Only the dead letters listed after this one. */
  after?: DeadLetterListPosition;
  limit: number;
}

/**
 * The dead letters folded from the dead-letter topic, beside the view
 * generations (a rebuild does not refuse a message anew: its letter stays
 * as it was). Each is kept once by its id, whatever redelivers it.
 */
export interface DeadLetterStore {
  /** How far the dead-letter topic has been folded: the next offset of each partition, by topic then partition. */
  positions(): Promise<ConsumedPosition[]>;
  /** Keeps the letters (one kept already is left as first kept), then the partition's position: a crash in between folds them again. */
  keep(letters: readonly DeadLetter[], position: ConsumedPosition): Promise<void>;
  /** Newest first (by recorded time, then id, both descending), filtered, at most `limit`. */
  list(query: DeadLetterQuery): Promise<DeadLetter[]>;
}

/** The one order of a listing: recorded time, then id (ISO times of one length compare as strings). */
export const deadLetterListKey = (at: DeadLetterListPosition): string => `${at.recordedAt}|${at.deadLetterId}`;
