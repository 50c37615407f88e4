import type { ProvenanceEvent } from '@prov/contracts';
import type { ConsumerHandle, EventLog, LogRecord, PartitionPosition, RecordBatch } from '@prov/event-log';
import type { ViewGeneration } from '@prov/lineage-store';
import { applyUntilSettled, foldFacts, type AlertDocument, type ViewReader, type ViewWriter } from '@prov/projections';
import { raisedAlerts } from '../alerts/raised-alerts';
import { DecodingPolicy, decodeRecord } from '../decoding/record-decoder';
import type { DeadLetterPublisher, Rejection } from '../dead-letters/dead-letter-publisher';
import type { ProjectorMetrics } from '../metrics/projector-metrics';
import { admitEvents, type DigestedEvent } from './event-admission';
import { LineageViewCache } from './lineage-view-cache';
import { LINEAGE_TOPICS, PROJECTED_TOPICS } from './projected-topics';

export interface GenerationFeedOptions {
  generation: ViewGeneration;
  /** The consumer group whose commits are this generation's progress. */
  groupId: string;
  /** Audit generations fold only events recorded up to this time (ISO 8601). */
  asOf?: string;
  /** Where refused messages go (each once, whichever generation's feed finds it first). */
  deadLetters: DeadLetterPublisher;
  policy: DecodingPolicy;
  metrics: ProjectorMetrics;
  maxBatchSize: number;
  /** Entries of the lineage views kept in memory while this feed folds the lineage topics (0: none). */
  lineageCacheEntries?: number;
  /** Told of the alerts each batch newly raised in this generation, once they are stored. */
  onAlertsRaised?: (feed: GenerationFeed, alerts: AlertDocument[]) => void;
}

export interface FeedProgress {
  generation: string;
  /** Records folded (or refused, or left out) since the feed started. */
  processed: number;
  lag: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
}

/**
 * Folds the provenance topics into one view generation through a consumer
 * group. Per batch: decode and verify every record, admit each event id
 * once (a copy with other content is refused), apply the fact writes,
 * then recompute the derived documents they touch, publish the dead
 * letters, and only then commit the batch's offsets. A crash anywhere
 * replays the batch, and every write is idempotent, so the views end up as a
 * clean rebuild would have them. Batches are folded one at a time: derived
 * documents read the facts, and two batches interleaving their reads and
 * writes could leave a document computed from stale facts.
 */
export class GenerationFeed {
  private readonly positions = new Map<string, bigint>();
  /** When each partition was last handed to this feed (a fold begun, whether or not it succeeded). */
  private readonly delivered = new Map<string, number>();
  /** Whether a fold is under way; and when the last one ended. */
  private folding = false;
  private lastFoldEnded = 0;
  /** Each partition's committed offset when last looked at, and since when it has been that. */
  private readonly committedSeen = new Map<string, { offset: bigint; since: number }>();
  private startedAt = Date.now();
  private handle?: ConsumerHandle;
  private serial: Promise<void> = Promise.resolve();
  private processed = 0;
  private lastProgress = { at: Date.now(), processed: 0 };
  private readonly asOfMs?: number;
  private readonly lineageCache?: LineageViewCache;
  /** The group's committed offsets of the lineage topics as of the cache's last fold: they move when another replica folds. */
  private lineageCommitted?: Map<string, string>;

  constructor(
    private readonly log: EventLog,
    readonly options: GenerationFeedOptions,
  ) {
    this.asOfMs = options.asOf === undefined ? undefined : Date.parse(options.asOf);
    if (options.lineageCacheEntries) {
      this.lineageCache = new LineageViewCache(options.generation, options.lineageCacheEntries);
    }
  }

  get name(): string {
    return this.options.generation.name;
  }

  async start(): Promise<void> {
    this.startedAt = Date.now();
    for (const [partition, offset] of await this.committedOffsets(PROJECTED_TOPICS)) {
      this.positions.set(partition, BigInt(offset));
    }
    this.handle = await this.log.consume({
      groupId: this.options.groupId,
      topics: [...PROJECTED_TOPICS],
      // One replica at a time folds the lineage: what is derived from it has a single writer.
      exclusiveTopics: [...LINEAGE_TOPICS],
      maxBatchSize: this.options.maxBatchSize,
      onBatch: (batch, handle) => this.serialized(() => this.fold(batch, handle)),
    });
  }

  async stop(): Promise<void> {
    await this.handle?.stop();
    this.handle = undefined;
  }

  /** Leaves the group and joins it again as a new consumer, from the group's committed offsets. */
  async rejoin(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /**
   * Records on the log that this generation has not folded yet, per
   * partition: from the group's committed offsets, so that every replica
   * sharing the generation's partitions sees the progress of all of them.
   */
  async lagByPartition(targets?: PartitionPosition[]): Promise<PartitionPosition[]> {
    const ends = targets ?? (await this.logEnds());
    const committed = new Map(this.positions);
    for (const [partition, offset] of await this.committedOffsets(PROJECTED_TOPICS)) {
      const at = BigInt(offset);
      if (at > (committed.get(partition) ?? -1n)) committed.set(partition, at);
    }
    return ends.map((end) => {
      const at = committed.get(key(end.topic, end.partition)) ?? 0n;
      const behind = BigInt(end.offset) - at;
      return { topic: end.topic, partition: end.partition, offset: (behind > 0n ? behind : 0n).toString() };
    });
  }

  /** The next offset of every partition of the projected topics now: what "caught up" is measured against. */
  async logEnds(): Promise<PartitionPosition[]> {
    const ends: PartitionPosition[] = [];
    for (const topic of PROJECTED_TOPICS) {
      for (const p of await this.log.offsets(topic)) ends.push({ topic, partition: p.partition, offset: p.latest });
    }
    return ends;
  }

  /** Progress since the last call: rate, lag and time to catch up; also set as metrics. */
  async progress(targets?: PartitionPosition[]): Promise<FeedProgress> {
    const lagParts = await this.lagByPartition(targets);
    const generation = this.name;
    let lag = 0;
    for (const part of lagParts) {
      lag += Number(part.offset);
      this.options.metrics.lag.set(
        { generation, topic: part.topic, partition: String(part.partition) },
        Number(part.offset),
      );
    }
    const now = Date.now();
    const seconds = Math.max((now - this.lastProgress.at) / 1000, 0.001);
    const eventsPerSecond = (this.processed - this.lastProgress.processed) / seconds;
    this.lastProgress = { at: now, processed: this.processed };
    const etaSeconds = lag === 0 ? 0 : eventsPerSecond > 0 ? lag / eventsPerSecond : null;
    this.options.metrics.eventsPerSecond.set({ generation }, eventsPerSecond);
    if (etaSeconds !== null) this.options.metrics.etaSeconds.set({ generation }, etaSeconds);
    return { generation, processed: this.processed, lag, eventsPerSecond, etaSeconds };
  }

  private serialized(work: () => Promise<void>): Promise<void> {
    const run = this.serial.then(work);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /**
   * The partitions with records left to fold whose committed offset has not
   * moved for `stallMs`, and that this feed has not been handed for as long
   * (nor since it started): a consumer that stopped fetching them. A
   * partition that keeps failing is still handed over, so a store that is
   * away never counts; one that another replica folds moves.
   *
   * Where the group says what it gave this member, only its own partitions
   * count, from when they were given: a partition another member folds in
   * long rounds, or holds up a rebalance with, is that member's to report,
   * and a member that left the group for it would only start another
   * rebalance. While the group rebalances, nothing counts, unless the
   * rebalance itself has lasted twice `stallMs`.
   *
   * A member folds one batch at a time, so its other partitions wait while
   * it folds (a round can take minutes on a slow store): time spent folding
   * is not quiet time. Nothing counts while a fold is under way, and a
   * partition's quiet time starts again when the last fold ended.
   */
  async stalledPartitions(stallMs: number, now = Date.now()): Promise<string[]> {
    const ends = await this.logEnds();
    const held = this.handle?.assignment?.();
    const mine =
      held?.state === 'assigned' ? new Set(held.partitions.map((p) => key(p.topic, p.partition))) : undefined;
    const stalled: string[] = [];
    (await this.lagByPartition(ends)).forEach((part, index) => {
      const partition = key(part.topic, part.partition);
      const committed = BigInt(ends[index].offset) - BigInt(part.offset);
      const seen = this.committedSeen.get(partition);
      if (!seen || seen.offset !== committed) {
        this.committedSeen.set(partition, { offset: committed, since: now });
        return;
      }
      if (part.offset === '0') return;
      if (held?.state === 'rebalancing') {
        if (now - held.since > 2 * stallMs) stalled.push(partition);
        return;
      }
      if (mine && !mine.has(partition)) return;
      const quietSince = Math.max(
        seen.since,
        this.delivered.get(partition) ?? 0,
        this.startedAt,
        held?.since ?? 0,
        this.lastFoldEnded,
      );
      if (now - quietSince > stallMs) stalled.push(partition);
    });
    return this.folding ? [] : stalled;
  }

  private async fold(batch: RecordBatch, handle: ConsumerHandle): Promise<void> {
    if (batch.records.length === 0) return;
    this.folding = true;
    try {
      await this.foldRecords(batch, handle);
    } finally {
      this.folding = false;
      this.lastFoldEnded = Date.now();
    }
  }

  private async foldRecords(batch: RecordBatch, handle: ConsumerHandle): Promise<void> {
    this.delivered.set(key(batch.topic, batch.partition), Date.now());
    const { generation, metrics, policy } = this.options;
    const decodedEvents: DigestedEvent[] = [];
    const rejections: Rejection[] = [];
    let skipped = 0;
    for (const record of batch.records) {
      const decoded = decodeRecord(record, policy);
      if (decoded.kind === 'rejected') rejections.push({ record, reason: decoded.reason, problems: decoded.problems });
      else if (this.asOfMs !== undefined && Date.parse(decoded.event.recordedAt) > this.asOfMs) skipped += 1;
      else decodedEvents.push({ record, event: decoded.event, digest: decoded.digest });
    }
    const admission = await admitEvents(decodedEvents, generation);
    for (const { record, event } of admission.conflicting) rejections.push(conflictOf(record, event));
    const events: ProvenanceEvent[] = admission.fold.map(({ event }) => event);

    const raised: AlertDocument[] = [];
    if (events.length > 0) {
      const views = LINEAGE_TOPICS.includes(batch.topic) ? await this.lineageViews() : generation;
      // Other replicas may write the same alerts meanwhile: written again until the facts they read hold still.
      await applyUntilSettled(await foldFacts(events, views), views, async (writes) => {
        raised.push(...(await raisedAlerts(writes, generation)));
      });
    }
    if (rejections.length > 0) await this.options.deadLetters.publish(rejections);

    const next = { topic: batch.topic, partition: batch.partition, offset: nextOffset(batch) };
    await handle.commit([next]);
    // Only the lineage topics' offsets are compared: a commit of any other topic must not empty the cache.
    if (LINEAGE_TOPICS.includes(next.topic)) this.lineageCommitted?.set(key(next.topic, next.partition), next.offset);
    await generation.saveOffsets([next]);
    this.positions.set(key(next.topic, next.partition), BigInt(next.offset));
    this.processed += batch.records.length;

    for (const { event, replay } of admission.fold) {
      if (replay) metrics.eventsReplayed.inc({ generation: generation.name, type: event.type });
      else metrics.eventsApplied.inc({ generation: generation.name, type: event.type });
    }
    for (const r of rejections) metrics.deadLetters.inc({ generation: generation.name, reason: r.reason });
    if (skipped > 0) metrics.eventsSkipped.inc({ generation: generation.name }, skipped);
    for (const alert of raised) metrics.alertsRaised.inc({ generation: generation.name, type: alert.type });
    if (raised.length > 0) this.options.onAlertsRaised?.(this, raised);
  }

  /**
   * The views a lineage batch is folded through: the cache, unless the
   * group's committed offsets of the lineage topics moved since this feed's
   * last lineage fold. They move when another replica folded lineage
   * meanwhile (the group gave it the lineage topics for a while), and what
   * it wrote is not in the cache, which then starts again empty. Lineage
   * that another replica wrote and did not commit is folded again here, and
   * the cache follows those writes.
   */
  private async lineageViews(): Promise<ViewReader & ViewWriter> {
    const cache = this.lineageCache;
    if (!cache) return this.options.generation;
    const committed = await this.committedOffsets(LINEAGE_TOPICS);
    const known = this.lineageCommitted;
    if (!known || known.size !== committed.size || [...committed].some(([k, offset]) => known.get(k) !== offset)) {
      cache.clear();
    }
    this.lineageCommitted = committed;
    return cache;
  }

  /** The group's committed offset of each partition of these topics that has one, by `topic|partition`. */
  private async committedOffsets(topics: readonly string[]): Promise<Map<string, string>> {
    const committed = new Map<string, string>();
    for (const topic of topics) {
      for (const p of await this.log.committedOffsets(this.options.groupId, topic)) {
        committed.set(key(topic, p.partition), p.offset);
      }
    }
    return committed;
  }
}

function conflictOf(record: LogRecord, event: ProvenanceEvent): Rejection {
  return {
    record,
    reason: 'conflicting-event',
    problems: [{ path: 'eventId', problem: `the event ${event.eventId} was accepted before with other content` }],
  };
}

function key(topic: string, partition: number): string {
  return `${topic}|${partition}`;
}

function nextOffset(batch: RecordBatch): string {
  return (BigInt(batch.records[batch.records.length - 1].offset) + 1n).toString();
}
