import {
  Admin,
  CompressionTypes,
  Consumer,
  IHeaders,
  Kafka,
  KafkaConfig,
  KafkaJSError,
  logLevel as KafkaLogLevel,
  Producer,
  SASLOptions,
} from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { EventLogClosedError, EventLogError, UnknownTopicError } from '../event-log.errors';
import {
  ConsumerHandle,
  ConsumerOptions,
  EventLog,
  LogRecord,
  OutgoingMessage,
  PartitionPosition,
  PublishedRecord,
  TopicSpec,
} from '../event-log.port';
import { partitionForKey } from '../partitioner';

export interface KafkaEventLogOptions {
  brokers: string[];
  clientId?: string;
  /** TLS to the brokers: `true`, or Node TLS options (ca, cert, key...). */
  ssl?: boolean | ConnectionOptions;
  /** SASL (plain, scram-sha-256, scram-sha-512, aws, oauthbearer) as kafkajs takes it. */
  sasl?: SASLOptions;
  /** Compression of produced batches; gzip is built into kafkajs. Default none. */
  compression?: 'none' | 'gzip';
  /** How long a publish may take, retries included, before it fails. Default 30 s. */
  publishTimeoutMs?: number;
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
}

/** A broker-side failure, retriable when kafkajs says so (leader changes, timeouts, a broker down). */
export class KafkaLogError extends EventLogError {
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const LOG_LEVELS = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

/** Large enough for a batch of 10,000 predictions (the broker allows 32 MiB messages). */
const MAX_FETCH_BYTES = 64 * 1024 * 1024;

/**
 * The EventLog port on Apache Kafka (kafkajs). Writes use an idempotent
 * producer with acks from all in-sync replicas; partitions are chosen here
 * with Kafka's murmur2 partitioner, so positions can be given per message.
 * Consumption uses consumer groups with commits only when the caller says.
 */
export class KafkaEventLog implements EventLog {
  private readonly partitionCounts = new Map<string, number>();
  private readonly consumers = new Set<Consumer>();
  private closed = false;

  private constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly producer: Producer,
    private readonly options: KafkaEventLogOptions,
  ) {}

  static async connect(options: KafkaEventLogOptions): Promise<KafkaEventLog> {
    const config: KafkaConfig = {
      clientId: options.clientId ?? 'provenance',
      brokers: options.brokers,
      ssl: options.ssl,
      sasl: options.sasl,
      logLevel: LOG_LEVELS[options.logLevel ?? 'error'],
      connectionTimeout: 5000,
      requestTimeout: 30_000,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
    };
    const kafka = new Kafka(config);
    const admin = kafka.admin();
    // Idempotence requires one request in flight per connection; acks=all is set per send.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    try {
      await Promise.all([admin.connect(), producer.connect()]);
    } catch (error) {
      await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
      throw toLogError(error, `cannot connect to Kafka at ${options.brokers.join(',')}`);
    }
    return new KafkaEventLog(kafka, admin, producer, options);
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    this.assertOpen();
    const existing = new Set(await this.call(() => this.admin.listTopics(), 'cannot list topics'));
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      try {
        await this.admin.createTopics({
          topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions })),
          waitForLeaders: true,
        });
      } catch (error) {
        // Another process may have created them meanwhile (services start together): that is success.
        const now = new Set(await this.call(() => this.admin.listTopics(), 'cannot list topics'));
        if (!missing.every((t) => now.has(t.name))) throw toLogError(error, 'cannot create topics');
      }
    }
    // Whoever created them, their partitions must have leaders before they are used.
    for (const topic of topics)
      await this.call(() => this.admin.fetchTopicOffsets(topic.name), `topic ${topic.name} has no leader yet`);
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<PublishedRecord[]> {
    this.assertOpen();
    if (messages.length === 0) return [];
    const partitions = await this.partitionCount(topic);
    const targets = messages.map((m) => partitionForKey(m.key, partitions));
    const send = this.producer.send({
      topic,
      acks: -1,
      timeout: this.options.publishTimeoutMs ?? 30_000,
      compression: this.options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      messages: messages.map((m, i) => ({ key: m.key, value: m.value, headers: m.headers, partition: targets[i] })),
    });
    const metadata = await this.within(send, this.options.publishTimeoutMs ?? 30_000, `publishing to ${topic}`);
    // kafkajs answers one base offset per partition; the messages of a partition follow it in request order.
    const next = new Map(metadata.map((m) => [m.partition, BigInt(m.baseOffset ?? '0')]));
    return targets.map((partition) => {
      const offset = next.get(partition);
      if (offset === undefined) throw new KafkaLogError(`no acknowledgement for ${topic}/${partition}`, true);
      next.set(partition, offset + 1n);
      return { partition, offset: offset.toString() };
    });
  }

  async consume(options: ConsumerOptions): Promise<ConsumerHandle> {
    this.assertOpen();
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      maxBytes: MAX_FETCH_BYTES,
      maxBytesPerPartition: MAX_FETCH_BYTES,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 5000 },
    });
    this.consumers.add(consumer);
    // kafkajs turns a commit into a silent no-op once its stop() begins, so the handle
    // stops only after the batch in progress (and its commit) is over.
    let stopping = false;
    let inFlight: Promise<void> = Promise.resolve();
    const handle: ConsumerHandle = {
      commit: (positions) =>
        this.call(
          () =>
            consumer.commitOffsets(
              positions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset })),
            ),
          `cannot commit offsets of ${options.groupId}`,
        ),
      stop: async () => {
        if (!this.consumers.delete(consumer)) return;
        stopping = true;
        await inFlight;
        await consumer.disconnect();
      },
    };
    const maxBatchSize = options.maxBatchSize ?? 1000;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // A throwing handler makes kafkajs retry the batch from the first unresolved record: at least once.
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
            if (stopping || !isRunning() || isStale()) return;
            const records = batch.messages
              .slice(start, start + maxBatchSize)
              .map((m) => toRecord(batch.topic, batch.partition, m.offset, m.key, m.value, m.headers, m.timestamp));
            const handled = options.onBatch({ topic: batch.topic, partition: batch.partition, records }, handle);
            inFlight = handled.catch(() => undefined);
            await handled;
            resolveOffset(records[records.length - 1].offset);
            await heartbeat();
          }
        },
      });
    } catch (error) {
      this.consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      throw toLogError(error, `cannot start consumer group ${options.groupId}`);
    }
    return handle;
  }

  async committedOffsets(groupId: string, topic: string): Promise<PartitionPosition[]> {
    this.assertOpen();
    const [offsets] = await this.call(
      () => this.admin.fetchOffsets({ groupId, topics: [topic] }),
      `cannot read offsets of ${groupId}`,
    );
    return (offsets?.partitions ?? [])
      .filter((p) => p.offset !== '-1')
      .map((p) => ({ topic, partition: p.partition, offset: p.offset }))
      .sort((a, b) => a.partition - b.partition);
  }

  async offsets(topic: string): Promise<Array<{ partition: number; earliest: string; latest: string }>> {
    this.assertOpen();
    const offsets = await this.call(() => this.admin.fetchTopicOffsets(topic), `cannot read offsets of ${topic}`);
    return offsets
      .map((o) => ({ partition: o.partition, earliest: o.low, latest: o.high }))
      .sort((a, b) => a.partition - b.partition);
  }

  /**
   * Reads a range of one partition without committing anything. kafkajs has
   * no group-less assignment, so each read joins a throw-away group and seeks:
   * fine for catching up and audits, while bulk replay uses `consume`.
   */
  async read(topic: string, partition: number, offset: string, max: number): Promise<LogRecord[]> {
    this.assertOpen();
    const bounds = (await this.offsets(topic)).find((p) => p.partition === partition);
    if (!bounds) throw new UnknownTopicError(topic, partition);
    const end = BigInt(bounds.latest);
    let from = BigInt(offset);
    if (from < BigInt(bounds.earliest)) from = BigInt(bounds.earliest);
    if (from >= end || max < 1) return [];
    const until = from + BigInt(max) < end ? from + BigInt(max) : end;

    const consumer = this.kafka.consumer({
      groupId: `reader-${randomUUID()}`,
      maxBytes: MAX_FETCH_BYTES,
      maxBytesPerPartition: MAX_FETCH_BYTES,
    });
    this.consumers.add(consumer);
    const records: LogRecord[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              if (batch.partition !== partition || batch.messages.length === 0) return;
              for (const m of batch.messages) {
                const at = BigInt(m.offset);
                if (at >= from && at < until) {
                  records.push(
                    toRecord(batch.topic, batch.partition, m.offset, m.key, m.value, m.headers, m.timestamp),
                  );
                }
              }
              // Done once the range is passed (offsets may have gaps, e.g. transaction markers).
              if (BigInt(batch.lastOffset()) + 1n >= until) resolve();
            },
          })
          .then(() => consumer.seek({ topic, partition, offset: from.toString() }))
          .catch(reject);
      });
    } catch (error) {
      throw toLogError(error, `cannot read ${topic}/${partition} from ${offset}`);
    } finally {
      this.consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
    }
    return records;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  private async partitionCount(topic: string): Promise<number> {
    const known = this.partitionCounts.get(topic);
    if (known) return known;
    const metadata = await this.call(() => this.admin.fetchTopicMetadata({ topics: [topic] }), `topic ${topic}`).catch(
      (error: KafkaLogError) => {
        if (/does not host this topic|UNKNOWN_TOPIC/i.test(error.message)) throw new UnknownTopicError(topic);
        throw error;
      },
    );
    const count = metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
    if (count === 0) throw new UnknownTopicError(topic);
    this.partitionCounts.set(topic, count);
    return count;
  }

  /**
   * Runs an admin or group operation, retrying what Kafka says is passing
   * (a leader being elected for a topic just created, a coordinator moving).
   */
  private async call<T>(operation: () => Promise<T>, what: string): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        const failure = toLogError(error, what);
        if (!failure.retriable || attempt >= 8 || this.closed) throw failure;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt)));
      }
    }
  }

  /** kafkajs retries a send while a broker is away; the caller gets an answer within `ms` regardless. */
  private async within<T>(operation: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KafkaLogError(`${what}: no acknowledgement within ${ms} ms`, true)), ms);
    });
    try {
      return await Promise.race([
        operation.catch((error: unknown) => Promise.reject(toLogError(error, what))),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventLogClosedError();
  }
}

function toRecord(
  topic: string,
  partition: number,
  offset: string,
  key: Buffer | null,
  value: Buffer | null,
  headers: IHeaders | undefined,
  timestamp: string,
): LogRecord {
  const plainHeaders: Record<string, string> = {};
  for (const [name, header] of Object.entries(headers ?? {})) {
    if (header !== undefined)
      plainHeaders[name] = Array.isArray(header) ? header.map(String).join(',') : String(header);
  }
  return {
    topic,
    partition,
    offset,
    key: key?.toString('utf8') ?? '',
    value: value ?? Buffer.alloc(0),
    headers: plainHeaders,
    timestamp: Number(timestamp),
  };
}

function toLogError(error: unknown, what: string): EventLogError {
  if (error instanceof EventLogError) return error;
  const retriable =
    error instanceof KafkaJSError ? error.retriable || /connect|timeout|retries/i.test(error.message) : false;
  return new KafkaLogError(`${what}: ${(error as Error).message}`, retriable, { cause: error });
}
