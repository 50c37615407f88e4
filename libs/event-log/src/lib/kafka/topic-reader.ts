import { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { EventLogClosedError } from '../event-log.errors';
import type { LogRecord } from '../event-log.port';
import { KafkaLogError, toLogError } from './kafka-event-log.errors';
import { toLogRecord } from './log-record';

/** Bytes of records one read returns at most (at least one record), as the file log. */
const MAX_READ_BYTES = 16 * 1024 * 1024;
/** How long the fetch loop of a reader with nothing to read sleeps: the delay before a read starts fetching. */
const IDLE_WAIT_MS = 100;
const READ_TIMEOUT_MS = 30_000;

interface PendingRead {
  next: bigint;
  until: bigint;
  budget: number;
  bytes: number;
  records: LogRecord[];
  resolve: (records: LogRecord[]) => void;
  reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
}

/**
 * Reads ranges of one topic's partitions for `EventLog.read`, outside the
 * caller's consumer groups. kafkajs cannot fetch without joining a group, so
 * a reader is one kafkajs consumer alone in a group of its own (never
 * committing), kept for the log's lifetime: joining costs a round of the
 * group protocol (and up to the brokers' group.initial.rebalance.delay.ms,
 * 3 s by default), which a throw-away consumer per read would pay every time.
 *
 * Every partition stays paused except those a read waits on: a read seeks to
 * its offset and resumes the partition, and pauses it again once its range is
 * in. The records a fetch brought past the range (a fetch brings up to
 * 16 MiB) are kept for the next read of that partition, so a replay in
 * consecutive reads costs about one fetch per 16 MiB.
 */
/** How long opening a reader is tried again while the cluster settles (a broker that just came back). */
const OPEN_RETRY_MS = 30_000;

export class TopicReader {
  private readonly pending = new Map<number, PendingRead>();
  private readonly queues = new Map<number, Promise<unknown>>();
  private ahead?: { partition: number; records: LogRecord[]; index: number };
  private failure?: Error;

  private constructor(
    private readonly consumer: Consumer,
    readonly topic: string,
  ) {}

  /**
   * Starts a paused consumer of the topic. A broker that has just come back
   * can make kafkajs crash and restart the consumer between `run` and
   * `pause` ("consumer group was not initialized"): the whole start is tried
   * again, for up to OPEN_RETRY_MS.
   */
  static async open(kafka: Kafka, topic: string, partitions: number, groupId: string): Promise<TopicReader> {
    const deadline = Date.now() + OPEN_RETRY_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await TopicReader.openOnce(kafka, topic, partitions, groupId);
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** attempt, 2000)));
      }
    }
  }

  private static async openOnce(
    kafka: Kafka,
    topic: string,
    partitions: number,
    groupId: string,
  ): Promise<TopicReader> {
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: IDLE_WAIT_MS,
      maxBytesPerPartition: MAX_READ_BYTES,
      maxBytes: MAX_READ_BYTES,
    });
    const reader = new TopicReader(consumer, topic);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) reader.fail(toLogError(payload.error, `the reader of ${topic} stopped`));
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatch: (payload) => reader.take(payload) });
      consumer.pause([{ topic, partitions: Array.from({ length: partitions }, (_, partition) => partition) }]);
    } catch (error) {
      // The failure to report is the one above; a failed disconnect adds nothing to it.
      await consumer.disconnect().catch(() => undefined);
      throw toLogError(error, `cannot start reading ${topic}`, topic);
    }
    return reader;
  }

  /** Set once the reader cannot serve reads any more: the log replaces it. */
  get broken(): boolean {
    return this.failure !== undefined;
  }

  /** The records of `[from, until)` of a partition, up to MAX_READ_BYTES; reads of one partition run in turn. */
  read(partition: number, from: bigint, until: bigint): Promise<LogRecord[]> {
    const previous = this.queues.get(partition) ?? Promise.resolve();
    const result = previous.then(() => this.readNow(partition, from, until));
    // The queue only orders reads: each caller gets its own read's outcome.
    const queued = result.catch(() => undefined);
    this.queues.set(partition, queued);
    void queued.then(() => {
      if (this.queues.get(partition) === queued) this.queues.delete(partition);
    });
    return result;
  }

  async close(): Promise<void> {
    this.fail(new EventLogClosedError());
    await this.consumer.disconnect();
  }

  private async readNow(partition: number, from: bigint, until: bigint): Promise<LogRecord[]> {
    if (this.failure) throw this.failure;
    const kept = this.fromAhead(partition, from, until);
    const bytes = kept.reduce((sum, record) => sum + record.value.length, 0);
    const next = kept.length > 0 ? BigInt(kept[kept.length - 1].offset) + 1n : from;
    if (next >= until || bytes >= MAX_READ_BYTES) return kept;
    return kept.concat(await this.fetch(partition, next, until, MAX_READ_BYTES - bytes));
  }

  /** Takes the records kept from an earlier fetch that begin exactly at `from`. */
  private fromAhead(partition: number, from: bigint, until: bigint): LogRecord[] {
    const ahead = this.ahead;
    if (!ahead || ahead.partition !== partition) return [];
    const start = ahead.records.findIndex((record, i) => i >= ahead.index && record.offset === from.toString());
    if (start < 0) return [];
    let end = start;
    let bytes = 0;
    while (end < ahead.records.length && BigInt(ahead.records[end].offset) < until && bytes < MAX_READ_BYTES) {
      bytes += ahead.records[end].value.length;
      end += 1;
    }
    ahead.index = end;
    if (end === ahead.records.length) this.ahead = undefined;
    return ahead.records.slice(start, end);
  }

  private fetch(partition: number, next: bigint, until: bigint, budget: number): Promise<LogRecord[]> {
    return new Promise((resolve, reject) => {
      const read: PendingRead = { next, until, budget, bytes: 0, records: [], resolve, reject };
      read.timer = setTimeout(
        () =>
          this.fail(
            new KafkaLogError(`no records of ${this.topic}/${partition} came within ${READ_TIMEOUT_MS} ms`, true),
          ),
        READ_TIMEOUT_MS,
      );
      this.pending.set(partition, read);
      this.consumer.seek({ topic: this.topic, partition, offset: next.toString() });
      this.consumer.resume([{ topic: this.topic, partitions: [partition] }]);
    });
  }

  private async take({ batch, isStale, pause }: EachBatchPayload): Promise<void> {
    const read = this.pending.get(batch.partition);
    if (!read) {
      pause(); // a partition no read waits on (one added to the topic since the reader started)
      return;
    }
    if (isStale()) return; // fetched before the read's seek
    const surplus: LogRecord[] = [];
    for (const message of batch.messages) {
      const offset = BigInt(message.offset);
      if (offset < read.next) continue;
      const record = toLogRecord(batch.topic, batch.partition, message);
      if (offset < read.until && (read.records.length === 0 || read.bytes < read.budget)) {
        read.records.push(record);
        read.bytes += record.value.length;
        read.next = offset + 1n;
      } else {
        surplus.push(record);
      }
    }
    // Offsets may skip some (transaction markers): the range is in once the batch has passed its end.
    const done = BigInt(batch.lastOffset()) + 1n >= read.until || read.bytes >= read.budget;
    if (!done) return; // the next fetch goes on after this batch
    pause();
    this.pending.delete(batch.partition);
    clearTimeout(read.timer);
    if (surplus.length > 0) this.ahead = { partition: batch.partition, records: surplus, index: 0 };
    else if (this.ahead?.partition === batch.partition) this.ahead = undefined;
    read.resolve(read.records);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const [partition, read] of this.pending) {
      clearTimeout(read.timer);
      read.reject(this.failure);
      this.pending.delete(partition);
    }
  }
}
