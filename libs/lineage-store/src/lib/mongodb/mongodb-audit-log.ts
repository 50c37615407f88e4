import type { SignedCheckpoint, SubtreeAddress } from '@prov/integrity';
import { LRUCache } from 'lru-cache';
import type { Db } from 'mongodb';
import { AuditKey, AuditLeaf, AuditLogState, AuditLogStore, AuditNode, AuditRecord, nodeKey } from '../audit-log.port';
import { DUPLICATE_KEY, guarded } from './driver-errors';
import { INSERT_CHUNK, insertAbsent } from './insert-absent';

/** Fewer ids than this are read one `_id` equality each (FerretDB indexes those, not `$in`). */
const POINT_READS = 64;

interface HashDocument {
  _id: string;
  logId: string;
  level: number;
  index: number;
  hash: string;
  /** Leaves only. */
  eventId?: string;
  offset?: string;
}

/**
 * A leaf's event, under the leaf's `_id`, apart from the hashes: a batch's
 * event can be hundreds of KiB, and proofs read only hashes. The leaf hash
 * itself is kept once, in `audit_hashes`.
 */
interface EventDocument {
  _id: string;
  logId: string;
  index: number;
  /** The canonical JSON of the event as published. */
  envelope: string;
}

/**
 * Where an event's leaf is, under the event id: the projector asks for it
 * before it appends each event, and a store that pushes down only `_id`
 * lookups (FerretDB on SQLite) scanned every leaf and subtree root to find
 * it by its `eventId` field. One document marks that every leaf appended
 * before this was kept has been added.
 */
interface EventLeafDocument {
  _id: string;
  logId?: string;
  index?: number;
  offset?: string;
  hash?: string;
}

/** Not an event id (those are UUIDs): the mark that the leaves appended before the index was kept are in it. */
const EVENT_LEAVES_COMPLETE = 'leaves-appended-earlier-added';

interface KeyDocument extends AuditKey {
  _id: string;
}

interface StateDocument extends Omit<AuditLogState, 'frontier'> {
  _id: string;
  frontier: string[];
}

interface CheckpointDocument extends SignedCheckpoint {
  _id: string;
}

/**
 * The audit log in `audit_hashes` (leaf hashes and subtree roots, one
 * document each, `_id` `<log>#<level>/<index>`), `audit_logs` (each log's
 * state) and `audit_checkpoints`. Frontier gaps are stored as empty strings:
 * arrays of mixed null and strings are fine for MongoDB, and empty strings
 * keep the array one type for every store.
 */
export class MongoAuditLog implements AuditLogStore {
  /**
   * Subtree hashes already read. A complete subtree of an append-only log
   * never changes, and the upper ones are on every proof's path: a proof
   * then reads only the few low subtrees near its leaf.
   */
  private readonly subtrees = new LRUCache<string, { key: string; hash: string }>({ max: 100_000 });

  constructor(private readonly db: Db) {}

  /** Creates the collections' indexes (idempotent). */
  async prepare(): Promise<void> {
    await guarded('prepare the audit log', async () => {
      await this.hashes().createIndex({ logId: 1, level: 1, index: 1 });
      await this.events().createIndex({ logId: 1, index: 1 });
      await this.checkpointsCollection().createIndex({ logId: 1, treeSize: 1 });
      await this.indexEarlierLeaves();
    });
  }

  /**
   * Adds the leaves of a store written before leaves were kept by event id
   * (one scan, once: by the first process to start, or by several at once
   * with the same result).
   */
  private async indexEarlierLeaves(): Promise<void> {
    if (await this.eventLeaves().findOne({ _id: EVENT_LEAVES_COMPLETE })) return;
    const batch: EventLeafDocument[] = [];
    const flush = async () => {
      await insertAbsent(this.eventLeaves(), batch.splice(0));
    };
    for await (const leaf of this.hashes().find({ level: 0 })) {
      if (leaf.eventId === undefined) continue;
      batch.push(eventLeafOf(leaf));
      if (batch.length >= INSERT_CHUNK) await flush();
    }
    await flush();
    await insertAbsent(this.eventLeaves(), [{ _id: EVENT_LEAVES_COMPLETE }]);
  }

  states(): Promise<AuditLogState[]> {
    return guarded('read the audit logs', async () =>
      (
        await this.statesCollection()
          .find({}, { sort: [['_id', 1]] })
          .toArray()
      ).map(toState),
    );
  }

  state(logId: string): Promise<AuditLogState | undefined> {
    return guarded(`read audit log ${logId}`, async () => {
      const doc = await this.statesCollection().findOne({ _id: logId });
      return doc ? toState(doc) : undefined;
    });
  }

  append(records: AuditRecord[], nodes: AuditNode[], state: AuditLogState): Promise<void> {
    return guarded(`append to audit log ${state.logId}`, async () => {
      const leafId = (l: AuditRecord) => `${l.logId}#${nodeKey(0, l.index)}`;
      const hashes: HashDocument[] = [
        ...records.map((l) => ({
          _id: leafId(l),
          logId: l.logId,
          level: 0,
          index: l.index,
          hash: l.leafHash,
          eventId: l.eventId,
          offset: l.offset,
        })),
        ...nodes.map((n) => ({ _id: `${n.logId}#${nodeKey(n.level, n.index)}`, ...n })),
      ];
      const events: EventDocument[] = records.map((l) => ({
        _id: leafId(l),
        logId: l.logId,
        index: l.index,
        envelope: l.envelope,
      }));
      // A leaf or subtree root never changes: a replayed batch finds the very same documents there.
      // An event's first leaf stays its leaf in the index (a copy appended elsewhere by a race is not it).
      await Promise.all([
        insertAbsent(this.hashes(), hashes),
        insertAbsent(this.events(), events),
        insertAbsent(this.eventLeaves(), hashes.filter((h) => h.eventId !== undefined).map(eventLeafOf)),
      ]);
      const { logId, ...rest } = state;
      await this.statesCollection().replaceOne(
        { _id: logId },
        { ...rest, logId, frontier: state.frontier.map((h) => h ?? '') },
        { upsert: true },
      );
    });
  }

  leafByEventId(eventId: string): Promise<AuditLeaf | undefined> {
    return guarded(`find the audit leaf of ${eventId}`, async () => {
      const doc = await this.leafOf(eventId);
      return doc ? toLeaf(doc) : undefined;
    });
  }

  recordByEventId(eventId: string): Promise<AuditRecord | undefined> {
    return guarded(`find the audit record of ${eventId}`, async () => {
      const leaf = await this.leafOf(eventId);
      if (!leaf) return undefined;
      const event = await this.events().findOne({ _id: leaf._id });
      return toRecord(leaf, event?.envelope);
    });
  }

  /** The leaf of an event, as the index by event id keeps it: one point read. */
  private async leafOf(eventId: string): Promise<HashDocument | undefined> {
    const at = await this.eventLeaves().findOne({ _id: eventId });
    if (!at || at.logId === undefined || at.index === undefined || at.hash === undefined) return undefined;
    const { logId, index, offset, hash } = at;
    return { _id: `${logId}#${nodeKey(0, index)}`, logId, level: 0, index, hash, eventId, offset };
  }

  records(logId: string, from: number, limit: number): Promise<AuditRecord[]> {
    return guarded(`read the records of ${logId}`, async () => {
      const range = { logId, index: { $gte: from } };
      const [leaves, events] = await Promise.all([
        this.hashes()
          .find({ ...range, level: 0 }, { sort: [['index', 1]], limit })
          .toArray(),
        this.events()
          .find(range, { sort: [['index', 1]], limit })
          .toArray(),
      ]);
      const envelopes = new Map(events.map((e) => [e.index, e.envelope]));
      return leaves.map((leaf) => toRecord(leaf, envelopes.get(leaf.index)));
    });
  }

  saveKeys(keys: AuditKey[]): Promise<void> {
    return guarded('save the audit keys', async () => {
      if (keys.length === 0) return;
      // Insert-if-absent: a key id names one key for good.
      await this.keysCollection().bulkWrite(
        keys.map((key) => ({
          updateOne: { filter: { _id: key.keyId }, update: { $setOnInsert: { ...key } }, upsert: true },
        })),
        { ordered: false },
      );
    });
  }

  keys(): Promise<AuditKey[]> {
    return guarded('read the audit keys', async () =>
      (
        await this.keysCollection()
          .find({}, { sort: [['_id', 1]] })
          .toArray()
      ).map(({ keyId, service, publicKey }) => ({ keyId, service, publicKey })),
    );
  }

  nodes(logId: string, addresses: readonly SubtreeAddress[]): Promise<Map<string, string>> {
    return guarded(`read audit log ${logId}`, async () => {
      const found = new Map<string, string>();
      const ids: string[] = [];
      for (const id of new Set(addresses.map(({ level, index }) => `${logId}#${nodeKey(level, index)}`))) {
        const kept = this.subtrees.get(id);
        if (kept === undefined) ids.push(id);
        else found.set(kept.key, kept.hash);
      }
      if (ids.length === 0) return found;
      const docs =
        ids.length < POINT_READS
          ? (await Promise.all(ids.map((_id) => this.hashes().findOne({ _id })))).filter((d) => d !== null)
          : await this.hashes()
              .find({ _id: { $in: ids } })
              .toArray();
      for (const doc of docs) {
        const key = nodeKey(doc.level, doc.index);
        found.set(key, doc.hash);
        this.subtrees.set(doc._id, { key, hash: doc.hash });
      }
      return found;
    });
  }

  saveCheckpoint(checkpoint: SignedCheckpoint): Promise<void> {
    return guarded(`save a checkpoint of ${checkpoint.logId}`, async () => {
      const _id = `${checkpoint.logId}#${checkpoint.treeSize}`;
      await this.checkpointsCollection().replaceOne({ _id }, { ...checkpoint }, { upsert: true });
      // The log's latest, kept whole under its log id, moved only forward (an older one saved late leaves it).
      try {
        await this.latestCollection().replaceOne(
          { _id: checkpoint.logId, treeSize: { $lt: checkpoint.treeSize } },
          { ...checkpoint },
          { upsert: true },
        );
      } catch (error) {
        // A later checkpoint is there already: the upsert met its _id.
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      }
    });
  }

  latestCheckpoints(): Promise<SignedCheckpoint[]> {
    return guarded('read the latest checkpoints', async () => {
      const latest: SignedCheckpoint[] = [];
      for (const state of await this.states()) {
        const doc = await this.latestOf(state.logId);
        if (doc) latest.push(doc);
      }
      return latest;
    });
  }

  latestCheckpoint(logId: string): Promise<SignedCheckpoint | undefined> {
    return guarded(`read the latest checkpoint of ${logId}`, () => this.latestOf(logId));
  }

  /** The kept latest; for a store written before it was kept, the greatest of the log's checkpoints. */
  private async latestOf(logId: string): Promise<SignedCheckpoint | undefined> {
    const kept = await this.latestCollection().findOne({ _id: logId });
    if (kept) return toCheckpoint(kept);
    const [doc] = await this.checkpointsCollection()
      .find({ logId }, { sort: [['treeSize', -1]], limit: 1 })
      .toArray();
    return doc ? toCheckpoint(doc) : undefined;
  }

  checkpoint(logId: string, treeSize: number): Promise<SignedCheckpoint | undefined> {
    return guarded(`read a checkpoint of ${logId}`, async () => {
      const doc = await this.checkpointsCollection().findOne({ _id: `${logId}#${treeSize}` });
      return doc ? toCheckpoint(doc) : undefined;
    });
  }

  checkpoints(logId: string): Promise<SignedCheckpoint[]> {
    return guarded(`read the checkpoints of ${logId}`, async () =>
      (
        await this.checkpointsCollection()
          .find({ logId }, { sort: [['treeSize', 1]] })
          .toArray()
      ).map(toCheckpoint),
    );
  }

  private hashes() {
    return this.db.collection<HashDocument>('audit_hashes');
  }

  private events() {
    return this.db.collection<EventDocument>('audit_events');
  }
  private eventLeaves() {
    return this.db.collection<EventLeafDocument>('audit_event_leaves');
  }
  private statesCollection() {
    return this.db.collection<StateDocument>('audit_logs');
  }
  private keysCollection() {
    return this.db.collection<KeyDocument>('audit_keys');
  }
  private checkpointsCollection() {
    return this.db.collection<CheckpointDocument>('audit_checkpoints');
  }

  /** Each log's latest checkpoint, `_id` the log id. */
  private latestCollection() {
    return this.db.collection<CheckpointDocument>('audit_latest_checkpoints');
  }
}

function toState({ _id, frontier, ...rest }: StateDocument): AuditLogState {
  return { ...rest, logId: _id, frontier: frontier.map((h) => (h === '' ? null : h)) };
}

function eventLeafOf(leaf: HashDocument): EventLeafDocument {
  return { _id: leaf.eventId as string, logId: leaf.logId, index: leaf.index, offset: leaf.offset, hash: leaf.hash };
}

function toLeaf(doc: HashDocument): AuditLeaf {
  return {
    logId: doc.logId,
    index: doc.index,
    eventId: doc.eventId ?? '',
    offset: doc.offset ?? '',
    leafHash: doc.hash,
  };
}

/** A leaf whose event is missing from the store is given with an empty envelope, which no verification accepts. */
function toRecord(leaf: HashDocument, envelope: string | undefined): AuditRecord {
  return { ...toLeaf(leaf), envelope: envelope ?? '' };
}

function toCheckpoint({ _id, ...checkpoint }: CheckpointDocument): SignedCheckpoint {
  return checkpoint;
}
