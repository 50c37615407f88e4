import type { RejectionReason } from '@prov/contracts';
import type { DeadLetterDocument } from '@prov/projections';
import type { ConsumedPosition } from '../lineage-store.port';

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
  keep(letters: readonly DeadLetterDocument[], position: ConsumedPosition): Promise<void>;
  /** Newest first (by recorded time, then id, both descending), filtered, at most `limit`. */
  list(query: DeadLetterQuery): Promise<DeadLetterDocument[]>;
}

/** The one order of a listing: recorded time, then id (ISO times of one length compare as strings). */
export const deadLetterListKey = (at: DeadLetterListPosition): string => `${at.recordedAt}|${at.deadLetterId}`;
