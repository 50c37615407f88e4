import type { AuditLogStore } from './audit-log.port';
import type { DeadLetterStore } from './dead-letters/dead-letter-store.port';
import type { ViewName, ViewReader, ViewWriter } from '@prov/projections';

/** A consumed position: the next offset to read of one topic partition. */
export interface ConsumedPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** One generation of the lineage views, with the offsets the projector consumed into it. */
export interface ViewGeneration extends ViewReader, ViewWriter {
  readonly name: string;
  /** Consumed positions (next offset to read) per topic/partition, saved after the view writes they cover were acknowledged. */
  saveOffsets(positions: ConsumedPosition[]): Promise<void>;
  /** The saved positions, sorted by topic then partition. */
  loadOffsets(): Promise<ConsumedPosition[]>;
  /**
   * How many `apply` calls have changed each of these views (0 for a view
   * never written). A view's revision is raised after its writes were
   * acknowledged and before `apply` resolves, so a document read after
   * observing revision r holds every write up to r: a reader may keep it
   * for as long as the revision stays r.
   */
  revisions(views: readonly ViewName[]): Promise<Map<ViewName, number>>;
}

export type GenerationKind = 'live' | 'audit';

export interface GenerationInfo {
  name: string;
  /** `live` follows the log; `audit` folds only the events recorded up to `asOf`. */
  kind: GenerationKind;
  createdAt: string;
  asOf?: string;
  caughtUpAt?: string;
}

/** What the store holds: which store it is, the active generation's documents, and the bytes it takes on disk. */
export interface StoreHoldings {
  kind: 'memory' | 'lmdb' | 'mongodb';
  /**
   * The generation queries read: the documents each of its views holds, and
   * its saved offsets (what it has folded, see `ViewGeneration.loadOffsets`).
   * Null before the first activation.
   */
  active: { name: string; documents: Record<ViewName, number>; offsets: ConsumedPosition[] } | null;
  /**
   * Bytes the store takes on disk: every generation, the audit log and the
   * dead letters, indexes included. Null for a store that keeps nothing on disk.
   */
  bytesOnDisk: number | null;
}

/**
 * Where the projector keeps view generations and which one queries read.
 * A rebuild fills a new generation while queries read the active one, then
 * `activate` switches them over in one single-document write, so no reader
 * ever sees a half-built view.
 */
export interface LineageStore {
  /**
   * Opens (creating collections and every index the views' queries need, idempotently) a generation.
   * `info` is recorded when the generation is created and ignored when it exists.
   */
  generation(name: string, info?: { kind?: GenerationKind; asOf?: string }): Promise<ViewGeneration>;
  /** Every generation, sorted by name. */
  generations(): Promise<GenerationInfo[]>;
  markCaughtUp(name: string, at: string): Promise<void>;
  /** The generation queries read; undefined before the first activation. */
  activeGeneration(): Promise<string | undefined>;
  /** Switches the active generation in one single-document write (atomic without transactions). */
  activate(name: string): Promise<void>;
  /** Deletes a generation's views, offsets and info (nothing to do if it does not exist); refuses the active one. */
  dropGeneration(name: string): Promise<void>;
  /** Its kind, the active generation's documents per view, and its bytes on disk. */
  holdings(): Promise<StoreHoldings>;
  /** The tamper-evident audit log, beside the generations (never rebuilt with them). */
  readonly auditLog: AuditLogStore;
  /** The messages the projector refused, folded from the dead-letter topic (never rebuilt with the generations). */
  readonly deadLetters: DeadLetterStore;
  close(): Promise<void>;
}
