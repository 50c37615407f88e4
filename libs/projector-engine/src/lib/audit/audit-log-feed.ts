import { Topics } from '@prov/contracts';
import type { ConsumerHandle, EventLog, LogRecord, RecordBatch } from '@prov/event-log';
import { MerkleAccumulator, SignedCheckpoint, canonicalJson, leafHash, signCheckpoint } from '@prov/integrity';
import type { AuditKey, AuditLogState, AuditLogStore, AuditNode, AuditRecord } from '@prov/lineage-store';
import { KeyObject, createPublicKey } from 'node:crypto';
import { sealEvent, type EnvelopeSigner } from '@prov/publishing';
import { v7 as uuidv7 } from 'uuid';
import { DecodingPolicy, decodeRecord } from '../decoding/record-decoder';
import { SerialPoller } from '../feeds/serial-poller';
import { PROJECTED_TOPICS } from '../projection/projected-topics';

export interface AuditLogFeedOptions {
  store: AuditLogStore;
  policy: DecodingPolicy;
  /** The platform's key: it signs the checkpoints and the events that publish them. */
  signer: EnvelopeSigner;
  service: string;
  /** A log is checkpointed once it has grown by this many leaves... */
  checkpointEvery: number;
  /** ...or, when it grew at all, this often. */
  checkpointIntervalMs: number;
  maxBatchSize: number;
  /**
   * The consumer group whose members share the partitions: each partition's
   * log is appended by the member the group gave it to, and projector
   * replicas divide the audit log as they divide the views. Without one,
   * the feed reads every partition itself.
   */
  groupId?: string;
  /** How long to wait for new records when every partition has been read to its end. */
  pollIntervalMs: number;
  clock?: () => Date;
}

/** One Merkle log per event-log partition: its order is fixed, so every replay gives the same roots. */
export const auditLogIdOf = (topic: string, partition: number) => `auditlog:${topic}.p${partition}`;

const hex = (hash: Buffer) => hash.toString('hex');

/**
 * Appends every accepted event (decoded and verified exactly as the views'
 * feed does) to the tamper-evident audit log, as the leaf of its
 * partition's Merkle log, and signs checkpoints: every `checkpointEvery`
 * leaves, and every `checkpointIntervalMs` for a log that grew. Checkpoints
 * are stored and published to `provenance.audit.v1`. Each partition is
 * appended from the next offset its log's state names, read from the store
 * (the state is the position), and leaves and subtree roots are written
 * before that state, so a crash in between re-appends the same documents.
 *
 * With a `groupId`, the group decides which member appends a partition,
 * and its commits follow the states. A member given a partition reads the
 * log's state from the store before each batch (another member may have
 * appended since), and reads from the log what lies between the state and
 * the batch: two members appending one partition for a moment during a
 * rebalance write the same leaves, and a state one of them writes late is
 * caught up again from the records.
 */
export class AuditLogFeed {
  private readonly states = new Map<string, AuditLogState>();
  private readonly checkpointed = new Map<string, number>();
  /** Key ids already kept in the store, so each is written once per process. */
  private readonly keptKeys = new Set<string>();
  private timer?: NodeJS.Timeout;
  private readonly poller: SerialPoller;
  private consumer?: ConsumerHandle;
  /** The logs this feed appended to since it started: with a group, the only ones it checkpoints. */
  private readonly appendedHere = new Set<string>();
  private readonly clock: () => Date;

  constructor(
    private readonly log: EventLog,
    private readonly options: AuditLogFeedOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.poller = new SerialPoller(() => this.readAvailable(), options.pollIntervalMs);
  }

  async start(): Promise<void> {
    for (const state of await this.options.store.states()) this.states.set(state.logId, state);
    for (const checkpoint of await this.options.store.latestCheckpoints())
      this.checkpointed.set(checkpoint.logId, checkpoint.treeSize);
    await this.keepKeys([
      {
        keyId: this.options.signer.keyId,
        service: this.options.service,
        publicKey: pemOf(this.options.signer.privateKey),
      },
    ]);
    const { groupId } = this.options;
    if (groupId === undefined) this.poller.start();
    else {
      this.consumer = await this.log.consume({
        groupId,
        topics: [...PROJECTED_TOPICS],
        maxBatchSize: this.options.maxBatchSize,
        onBatch: (batch, handle) => this.poller.serialized(() => this.appendDelivered(batch, handle)),
      });
    }
    this.timer = setInterval(() => {
      void this.poller.serialized(() => this.checkpointGrown(1)).catch(() => undefined);
    }, this.options.checkpointIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.consumer?.stop();
    this.consumer = undefined;
    await this.poller.stop();
  }

  /**
   * A batch the group delivered: the log is appended from its state in the
   * store up to the batch's end (what lies before the batch is read from
   * the event log), then the group's offset is committed.
   */
  private async appendDelivered(batch: RecordBatch, handle: ConsumerHandle): Promise<void> {
    if (batch.records.length === 0) return;
    const { topic, partition, records } = batch;
    const logId = auditLogIdOf(topic, partition);
    const stored = await this.options.store.state(logId);
    if (stored) this.states.set(logId, stored);
    else this.states.delete(logId);
    const first = BigInt(records[0].offset);
    for (let from = BigInt(stored?.nextOffset ?? '0'); from < first;) {
      const missing = await this.log.read(topic, partition, from.toString(), this.options.maxBatchSize);
      const before = missing.filter((record) => BigInt(record.offset) < first);
      if (before.length === 0) break;
      await this.append(topic, partition, before);
      from = BigInt(before[before.length - 1].offset) + 1n;
    }
    await this.append(topic, partition, records);
    const next = (BigInt(records[records.length - 1].offset) + 1n).toString();
    await handle.commit([{ topic, partition, offset: next }]);
  }

  /** Signs a checkpoint of every log that grew since its last one (also what the timer does). */
  checkpointNow(): Promise<SignedCheckpoint[]> {
    return this.poller.serialized(() => this.checkpointGrown(1));
  }

  /** Reads every partition up to its end, now: resolves with the number of records looked at. */
  catchUp(): Promise<number> {
    return this.poller.catchUp();
  }

  /** The logs' states as last written. */
  logStates(): AuditLogState[] {
    return [...this.states.values()].sort((a, b) => a.logId.localeCompare(b.logId));
  }

  private async readAvailable(): Promise<number> {
    let read = 0;
    for (const topic of PROJECTED_TOPICS) {
      for (const { partition, latest } of await this.log.offsets(topic)) {
        const logId = auditLogIdOf(topic, partition);
        const state = this.states.get(logId);
        const from = state?.nextOffset ?? '0';
        if (BigInt(from) >= BigInt(latest)) continue;
        const records = await this.log.read(topic, partition, from, this.options.maxBatchSize);
        if (records.length === 0) continue;
        await this.append(topic, partition, records);
        read += records.length;
      }
    }
    return read;
  }

  private async append(topic: string, partition: number, records: LogRecord[]): Promise<void> {
    const logId = auditLogIdOf(topic, partition);
    const state = this.states.get(logId) ?? { logId, topic, partition, treeSize: 0, frontier: [], nextOffset: '0' };
    const tree = MerkleAccumulator.fromFrontier(
      state.treeSize,
      state.frontier.map((h) => (h === null ? null : Buffer.from(h, 'hex'))),
    );
    const leaves: AuditRecord[] = [];
    const nodes: AuditNode[] = [];
    const keys: AuditKey[] = [];
    const from = BigInt(state.nextOffset);
    const inBatch = new Set<string>();
    for (const record of records) {
      if (BigInt(record.offset) < from) continue;
      const decoded = decodeRecord(record, this.options.policy);
      if (decoded.kind === 'rejected') continue;
      if (await this.isReplay(decoded.event.eventId, logId, record.offset, inBatch)) continue;
      inBatch.add(decoded.event.eventId);
      // The leaf is auditLeafHash of the envelope as published; its canonical JSON is kept for bundles.
      const envelope = canonicalJson(JSON.parse(record.value.toString('utf8')));
      const leaf = leafHash(Buffer.from(envelope, 'utf8'));
      const index = tree.size;
      for (const subtree of tree.append(leaf))
        nodes.push({ logId, level: subtree.level, index: subtree.index, hash: hex(subtree.hash) });
      leaves.push({
        logId,
        index,
        eventId: decoded.event.eventId,
        offset: record.offset,
        leafHash: hex(leaf),
        envelope,
      });
      const keyId = decoded.event.integrity.keyId;
      const key = keyId === undefined || this.keptKeys.has(keyId) ? undefined : this.options.policy.keys.get(keyId);
      if (key && !keys.some((k) => k.keyId === key.keyId))
        keys.push({ keyId: key.keyId, service: key.service, publicKey: pemOf(key.publicKey) });
    }
    const after = BigInt(records[records.length - 1].offset) + 1n;
    const next: AuditLogState = {
      ...state,
      treeSize: tree.size,
      frontier: tree.frontierHashes().map((h) => (h === null ? null : hex(h))),
      nextOffset: (after > from ? after : from).toString(),
    };
    // Keys first: every leaf's signer is then known to whoever reads the leaf.
    await this.keepKeys(keys);
    await this.options.store.append(leaves, nodes, next);
    this.states.set(logId, next);
    this.appendedHere.add(logId);
    await this.checkpointGrown(this.options.checkpointEvery, logId);
  }

  /**
   * An event id is a leaf once: a copy of an accepted event sent again (by a
   * retrying producer or anyone with write access to the topics, on any
   * partition) is not appended a second time. The leaf of the same record,
   * written before a crash and appended again, is not a copy.
   */
  private async isReplay(eventId: string, logId: string, offset: string, inBatch: ReadonlySet<string>) {
    if (inBatch.has(eventId)) return true;
    const leaf = await this.options.store.leafByEventId(eventId);
    return leaf !== undefined && !(leaf.logId === logId && leaf.offset === offset);
  }

  private async keepKeys(keys: AuditKey[]): Promise<void> {
    const fresh = keys.filter((k) => !this.keptKeys.has(k.keyId));
    if (fresh.length === 0) return;
    await this.options.store.saveKeys(fresh);
    for (const key of fresh) this.keptKeys.add(key.keyId);
  }

  /** Signs, stores and publishes a checkpoint of each log (or of `only`) grown by at least `minGrowth` leaves. */
  private async checkpointGrown(minGrowth: number, only?: string): Promise<SignedCheckpoint[]> {
    const signed: SignedCheckpoint[] = [];
    for (const state of this.states.values()) {
      if (only !== undefined && state.logId !== only) continue;
      // Another member appends the logs the group gave it: what this one holds of them may be behind.
      if (this.options.groupId !== undefined && !this.appendedHere.has(state.logId)) continue;
      if (state.treeSize - (this.checkpointed.get(state.logId) ?? 0) < minGrowth) continue;
      const root = MerkleAccumulator.fromFrontier(
        state.treeSize,
        state.frontier.map((h) => (h === null ? null : Buffer.from(h, 'hex'))),
      ).root();
      const checkpoint = signCheckpoint(
        { logId: state.logId, treeSize: state.treeSize, rootHash: hex(root), signedAt: this.clock().toISOString() },
        this.options.signer.privateKey,
        this.options.signer.keyId,
      );
      await this.options.store.saveCheckpoint(checkpoint);
      signed.push(checkpoint);
    }
    if (signed.length === 0) return signed;
    const recordedAt = this.clock().toISOString();
    await this.log.publish(
      Topics.audit,
      signed.map((payload) => {
        const event = sealEvent(
          { type: 'audit.checkpoint.signed', payload },
          {
            eventId: uuidv7(),
            recordedAt,
            service: this.options.service,
            principal: this.options.service,
            signer: this.options.signer,
          },
        );
        return { key: event.subject, value: Buffer.from(JSON.stringify(event), 'utf8') };
      }),
    );
    for (const checkpoint of signed) this.checkpointed.set(checkpoint.logId, checkpoint.treeSize);
    return signed;
  }
}

/** SPKI PEM of a key's public half. */
function pemOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}
