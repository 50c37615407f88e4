import { processLogger } from '@prov/logging';
import { Admin, ConfigResourceTypes, Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import {
  EventLogClosedError,
  InvalidOffsetError,
  InvalidTopicError,
  MessageTooLargeError,
  OffsetOutOfRangeError,
  UnknownTopicError,
} from '../event-log.errors';
import {
  ConsumerHandle,
  ConsumerOptions,
  EventLog,
  LogHoldings,
  LogRecord,
  OutgoingMessage,
  PartitionPosition,
  PublishedRecord,
  TopicSpec,
} from '../event-log.port';
import { recordsHeld } from '../holdings';
import { partitionForKey } from '../partitioner';
import { bytesOf, IdempotentProducer } from './idempotent-producer';
import { kafkaErrorType, KafkaLogError, toLogError, topicCreationFailures } from './kafka-event-log.errors';
import { KafkaEventLogOptions, KafkaEventLogSettings, resolveKafkaOptions } from './kafka-event-log.options';
import { KafkaGroupConsumer } from './kafka-group-consumer';
import { TopicReader } from './topic-reader';

export type { KafkaEventLogOptions } from './kafka-event-log.options';

const DEFAULT_MAX_BATCH_SIZE = 500;
/** How long a topic's partition count is trusted: as long as Kafka's own clients trust metadata (metadata.max.age.ms). */
const METADATA_MAX_AGE_MS = 5 * 60_000;
const LEADER_WAIT_MS = 30_000;
/** Kafka's answers to a topic it will not create as asked. */
const INVALID_TOPIC = new Set([
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_CONFIG',
  'POLICY_VIOLATION',
]);
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
/**
 * What a broker answers about a partition whose leadership is still moving
 * into place: metadata may already name a leader the broker itself has not
 * taken up yet (a topic another process created a moment ago).
 */
const LEADERSHIP_IN_FLUX = new Set(['NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE']);
/**
 * Answers to creating topics that mean they exist or are coming: another
 * process created them first (services start together), or their metadata
 * has not reached the broker kafkajs asked yet. waitForLeaders follows.
 */
/** Kafka offsets are signed 64-bit. */
const MAX_OFFSET = 2n ** 63n - 1n;

/**
 * The EventLog port on Apache Kafka, with kafkajs. Partitions are chosen here
 * with Kafka's murmur2 partitioner, so every message's offset follows from its
 * partition's acknowledged base offset (`IdempotentProducer`). Consumers are
 * kafkajs consumer groups that commit only what the caller commits
 * (`KafkaGroupConsumer`); `read` goes through one reader per topic
 * (`TopicReader`).
 */
export class KafkaEventLog implements EventLog {
  private readonly partitionCounts = new Map<string, { count: number; at: number }>();
  private readonly consumers = new Set<KafkaGroupConsumer>();
  private readonly readers = new Map<string, Promise<TopicReader>>();
  private closing?: Promise<void>;

  private constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly producer: IdempotentProducer,
    private readonly settings: KafkaEventLogSettings,
  ) {}

  /** Connects to the brokers (an admin client and the idempotent producer); rejects, retriable, if they cannot be reached. */
  static async connect(options: KafkaEventLogOptions): Promise<KafkaEventLog> {
    const { config, settings } = resolveKafkaOptions(options);
    const kafka = new Kafka(config);
    const admin = kafka.admin();
    const [adminConnected, producerConnected] = await Promise.allSettled([
      admin.connect(),
      IdempotentProducer.connect(kafka, { compression: settings.compression, timeoutMs: settings.publishTimeoutMs }),
    ]);
    if (adminConnected.status === 'rejected' || producerConnected.status === 'rejected') {
      await Promise.allSettled([
        admin.disconnect(),
        producerConnected.status === 'fulfilled' ? producerConnected.value.close() : undefined,
      ]);
      const failure =
        adminConnected.status === 'rejected' ? adminConnected : (producerConnected as PromiseRejectedResult);
      throw toLogError(failure.reason, `cannot connect to Kafka at ${options.brokers.join(',')}`);
    }
    return new KafkaEventLog(kafka, admin, producerConnected.value, settings);
  }

  /**
   * Creates the missing topics, then waits until every partition of every
   * named topic has a leader. A topic that exists keeps its partition count,
   * even a different one: `publish` uses the real count.
   */
  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    this.assertOpen();
    for (const { name, partitions } of topics) {
      if (!Number.isInteger(partitions) || partitions < 1) {
        throw new InvalidTopicError(String(name), 'the partition count must be a positive integer');
      }
    }
    const wanted = [...new Map(topics.map((topic) => [topic.name, topic])).values()];
    if (wanted.length === 0) return;
    const existing = new Set(
      await this.admin.listTopics().catch((error) => Promise.reject(toLogError(error, 'cannot list topics'))),
    );
    const missing = wanted.filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) await this.createTopics(missing);
    await this.waitForLeaders(wanted.map((topic) => topic.name));
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<PublishedRecord[]> {
    this.assertOpen();
    const partitions = await this.partitionCount(topic);
    if (messages.length === 0) return [];
    const outgoing = messages.map(({ key, value, headers }) => ({
      key,
      value,
      headers,
      partition: partitionForKey(key, partitions),
    }));
    try {
      return await this.producer.publish(topic, outgoing);
    } catch (error) {
      if (error instanceof KafkaLogError && TOO_LARGE.has(kafkaErrorType(error.cause) ?? '')) {
        throw new MessageTooLargeError(largestPartitionBatch(outgoing), await this.maxMessageBytes(topic));
      }
      throw error;
    }
  }

  async consume(options: ConsumerOptions): Promise<ConsumerHandle> {
    this.assertOpen();
    for (const topic of options.topics) await this.partitionCount(topic);
    const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
      throw new RangeError(`maxBatchSize must be a positive integer, got ${maxBatchSize}`);
    }
    const consumer: KafkaGroupConsumer = await KafkaGroupConsumer.start(this.kafka, options, {
      maxBatchSize,
      onConsumerError: this.settings.onConsumerError,
      checkPositions: (positions) => this.checkPositions(positions),
      onStopped: () => this.consumers.delete(consumer),
      onRejoin: (error, groupId) =>
        processLogger().error(
          { context: 'event-log', err: error, groupId },
          `kafkajs gave up the consumer of group ${groupId}; joining the group again`,
        ),
    });
    if (this.closing) {
      await consumer.stop();
      throw new EventLogClosedError();
    }
    this.consumers.add(consumer);
    return consumer;
  }

  async committedOffsets(groupId: string, topic: string): Promise<PartitionPosition[]> {
    this.assertOpen();
    await this.partitionCount(topic);
    const [offsets] = await this.admin
      .fetchOffsets({ groupId, topics: [topic] })
      .catch((error) => Promise.reject(toLogError(error, `cannot read the offsets of group ${groupId}`, topic)));
    return (offsets?.partitions ?? [])
      .filter(({ offset }) => offset !== '-1')
      .map(({ partition, offset }) => ({ topic, partition, offset }))
      .sort((a, b) => a.partition - b.partition);
  }

  async offsets(topic: string): Promise<Array<{ partition: number; earliest: string; latest: string }>> {
    this.assertOpen();
    // Checked first: kafkajs retries the offsets of an unknown topic for seconds before it gives up.
    await this.partitionCount(topic);
    const deadline = Date.now() + LEADER_WAIT_MS;
    let offsets: Awaited<ReturnType<Admin['fetchTopicOffsets']>>;
    for (let attempt = 0; ; attempt++) {
      try {
        offsets = await this.admin.fetchTopicOffsets(topic);
        break;
      } catch (error) {
        if (!LEADERSHIP_IN_FLUX.has(kafkaErrorType(error) ?? '') || Date.now() > deadline) {
          throw toLogError(error, `cannot read the offsets of ${topic}`, topic);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)));
      }
    }
    return offsets
      .map(({ partition, low, high }) => ({ partition, earliest: low, latest: high }))
      .sort((a, b) => a.partition - b.partition);
  }

  /**
   * Records from each topic's offsets. Bytes on disk stay null: the brokers
   * tell them only through DescribeLogDirs, which kafkajs does not implement.
   */
  async holdings(topics: readonly string[]): Promise<LogHoldings> {
    this.assertOpen();
    const held = await Promise.all(
      topics.map(async (topic) => {
        const offsets = await this.offsets(topic);
        return { topic, partitions: offsets.length, records: recordsHeld(offsets), bytesOnDisk: null };
      }),
    );
    return { kind: 'kafka', topics: held };
  }

  async read(topic: string, partition: number, offset: string, max: number): Promise<LogRecord[]> {
    this.assertOpen();
    const from = parseOffset(offset);
    const bounds = (await this.offsets(topic)).find((p) => p.partition === partition);
    if (!bounds) throw new UnknownTopicError(topic, partition);
    const latest = BigInt(bounds.latest);
    if (from < BigInt(bounds.earliest) || from > latest) {
      throw new OffsetOutOfRangeError(topic, partition, offset, bounds.earliest, bounds.latest);
    }
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
    if (from === latest) return [];
    const until = from + BigInt(max) < latest ? from + BigInt(max) : latest;
    const opening = this.reader(topic);
    const reader = await opening;
    try {
      return await reader.read(partition, from, until);
    } catch (error) {
      if (reader.broken) {
        // The next read starts a new reader; nothing waits on the broken one's disconnect.
        if (this.readers.get(topic) === opening) this.readers.delete(topic);
        void reader.close().catch(() => undefined);
      }
      throw toLogError(error, `cannot read ${topic}/${partition} from ${offset}`, topic);
    }
  }

  /** Stops the consumers (each after its batch in progress), waits for the publish in flight, then disconnects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const stopped = await Promise.allSettled([...this.consumers].map((consumer) => consumer.stop()));
      const readers = await Promise.allSettled([...this.readers.values()]);
      this.readers.clear();
      const closed = await Promise.allSettled([
        ...readers.map((reader) => (reader.status === 'fulfilled' ? reader.value.close() : undefined)),
        this.producer.close(),
        this.admin.disconnect(),
      ]);
      const failure = [...stopped, ...closed].find((result) => result.status === 'rejected');
      if (failure) throw toLogError((failure as PromiseRejectedResult).reason, 'closing the Kafka event log');
    })();
    return this.closing;
  }

  private async createTopics(topics: TopicSpec[]): Promise<void> {
    try {
      await this.admin.createTopics({
        // No replication factor of our own: the cluster's default.replication.factor (3 on deploy/local's cluster).
        topics: topics.map(({ name, partitions }) => ({ topic: name, numPartitions: partitions })),
        waitForLeaders: true,
      });
    } catch (error) {
      // Another process may have created some of them meanwhile (services start together): that is success,
      // and so is a topic whose leaders this broker does not know yet: waitForLeaders (next) waits for them.
      const failures = topicCreationFailures(error);
      const invalid = failures.find((failure) => INVALID_TOPIC.has(kafkaErrorType(failure) ?? ''));
      if (invalid) {
        const topic = (invalid as { topic?: string }).topic ?? topics.map(({ name }) => name).join(', ');
        throw new InvalidTopicError(topic, (invalid as Error).message);
      }
      if (failures.length > 0) throw toLogError(failures[0], 'cannot create topics');
    }
  }

  /** A topic another process created, or one just created, may not have partition leaders yet. */
  private async waitForLeaders(topics: string[]): Promise<void> {
    const deadline = Date.now() + LEADER_WAIT_MS;
    let problem: unknown;
    for (let attempt = 0; ; attempt++) {
      try {
        const metadata = await this.admin.fetchTopicMetadata({ topics });
        const led = metadata.topics.every(
          ({ partitions }) =>
            partitions.length > 0 && partitions.every((p) => p.leader >= 0 && p.partitionErrorCode === 0),
        );
        if (led && metadata.topics.length === topics.length) {
          for (const { name, partitions } of metadata.topics) {
            this.partitionCounts.set(name, { count: partitions.length, at: Date.now() });
          }
          return;
        }
      } catch (error) {
        // Kafka calls a topic unknown until its metadata has reached the broker asked.
        const failure = toLogError(error, `cannot read the metadata of ${topics.join(', ')}`);
        if (!failure.retriable) throw failure;
        problem = failure;
      }
      if (Date.now() > deadline) {
        throw new KafkaLogError(`topics ${topics.join(', ')} have no leaders after ${LEADER_WAIT_MS} ms`, true, {
          cause: problem,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** attempt)));
    }
  }

  private async partitionCount(topic: string): Promise<number> {
    const known = this.partitionCounts.get(topic);
    if (known && Date.now() - known.at < METADATA_MAX_AGE_MS) return known.count;
    const metadata = await this.admin
      .fetchTopicMetadata({ topics: [topic] })
      .catch((error) => Promise.reject(toLogError(error, `cannot read the metadata of ${topic}`, topic)));
    const count = metadata.topics.find(({ name }) => name === topic)?.partitions.length ?? 0;
    if (count === 0) throw new UnknownTopicError(topic);
    this.partitionCounts.set(topic, { count, at: Date.now() });
    return count;
  }

  private async checkPositions(positions: PartitionPosition[]): Promise<void> {
    for (const { topic, partition, offset } of positions) {
      parseOffset(offset);
      if (!Number.isInteger(partition) || partition < 0 || partition >= (await this.partitionCount(topic))) {
        throw new UnknownTopicError(topic, partition);
      }
    }
  }

  private async maxMessageBytes(topic: string): Promise<number> {
    const { resources } = await this.admin
      .describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }],
      })
      .catch((error) => Promise.reject(toLogError(error, `cannot read the configuration of ${topic}`, topic)));
    const entry = resources[0]?.configEntries.find(({ configName }) => configName === 'max.message.bytes');
    return Number(entry?.configValue);
  }

  private reader(topic: string): Promise<TopicReader> {
    const known = this.readers.get(topic);
    if (known) return known;
    const opening = this.partitionCount(topic).then((partitions) =>
      TopicReader.open(this.kafka, topic, partitions, `${this.settings.clientId}-reader-${randomUUID()}`),
    );
    this.readers.set(topic, opening);
    // A reader that failed to start is tried again by the next read; this read reports the failure.
    opening.catch(() => {
      if (this.readers.get(topic) === opening) this.readers.delete(topic);
    });
    return opening;
  }

  private assertOpen(): void {
    if (this.closing) throw new EventLogClosedError();
  }
}

/** Offsets cross the port as decimal strings of Kafka's 64-bit offsets. */
function parseOffset(offset: string): bigint {
  if (typeof offset !== 'string' || !/^(0|[1-9]\d{0,18})$/.test(offset) || BigInt(offset) > MAX_OFFSET) {
    throw new InvalidOffsetError(String(offset));
  }
  return BigInt(offset);
}

/** Kafka checks each partition's record batch, not each message, against max.message.bytes. */
function largestPartitionBatch(messages: Array<OutgoingMessage & { partition: number }>): number {
  const bytes = new Map<number, number>();
  for (const message of messages) bytes.set(message.partition, (bytes.get(message.partition) ?? 0) + bytesOf(message));
  return Math.max(...bytes.values());
}
