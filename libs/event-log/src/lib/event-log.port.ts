/**
 * The event log the platform is built on: Kafka in production, a durable
 * file-backed log in the embedded mode. Both adapters honour the same
 * semantics, held by one contract suite (event-log.contract.ts):
 *
 * - a topic has a fixed number of partitions; a message goes to the
 *   partition chosen by its key (murmur2, as Kafka's default partitioner),
 *   so each key's messages stay in order;
 * - offsets are per partition, dense from 0 and decimal strings
 *   (Kafka offsets are 64-bit);
 * - `publish` resolves only once every message is durable (acks=all, or
 *   fsync'd), and rejects otherwise: a caller that got no answer must assume
 *   nothing was accepted and may retry;
 * - a consumer group reads each partition from its committed offset (or from
 *   the earliest one when it has none), and commits only what its handler
 *   says it has finished: delivery is at least once, effects must be
 *   idempotent.
 */
export interface TopicSpec {
  name: string;
  partitions: number;
}

export interface OutgoingMessage {
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

export interface LogRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  /** When the log appended the record (ms since epoch). */
  timestamp: number;
}

export interface PublishedRecord {
  partition: number;
  offset: string;
}

export interface PartitionPosition {
  topic: string;
  partition: number;
  /** The next offset to read. */
  offset: string;
}

export interface RecordBatch {
  topic: string;
  partition: number;
  records: LogRecord[];
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /**
   * Called with consecutive records of one partition. Resolving does not
   * commit: call `commit` once the records' effects are durable.
   */
  onBatch: (batch: RecordBatch, consumer: ConsumerHandle) => Promise<void>;
  /** Largest number of records handed over at once (the adapter may give fewer). */
  maxBatchSize?: number;
  /**
   * Topics of `topics` whose partitions one member of the group reads at a
   * time, all of them: what is derived from them has a single writer,
   * however many members share the other topics' partitions (in ranges, as
   * Kafka's range assignor does). Every member should name the same ones.
   */
  exclusiveTopics?: readonly string[];
}

export interface ConsumerHandle {
  /** Records these positions (next offset to read) as the group's progress. */
  commit(positions: PartitionPosition[]): Promise<void>;
  /** Stops consuming; a batch in progress completes first. */
  stop(): Promise<void>;
  /**
   * What the group gave this member, and since when; or that the group is
   * rebalancing, since when. Adapters whose groups have one member in a
   * process leave it out.
   */
  assignment?(): MemberAssignment;
}

export type MemberAssignment =
  | { state: 'assigned'; partitions: Array<{ topic: string; partition: number }>; since: number }
  | { state: 'rebalancing'; since: number };

/** What the log holds of one topic. */
export interface TopicHoldings {
  topic: string;
  partitions: number;
  /** Records over its partitions: each one's next offset to be written minus its earliest. */
  records: number;
  /** Bytes its partitions take on disk; null when the log cannot tell. */
  bytesOnDisk: number | null;
}

/** Which log this is (the embedded file log, or Kafka) and what it holds of the topics asked about. */
export interface LogHoldings {
  kind: 'file' | 'kafka';
  topics: TopicHoldings[];
}

export interface EventLog {
  /** Creates the topics that do not exist yet (idempotent). */
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  /** Appends messages to one topic; resolves with each message's position, in input order, once durable. */
  publish(topic: string, messages: OutgoingMessage[]): Promise<PublishedRecord[]>;
  /** Joins a consumer group and delivers batches until stopped. */
  consume(options: ConsumerOptions): Promise<ConsumerHandle>;
  /** The group's committed positions of a topic (partitions without a commit are absent). */
  committedOffsets(groupId: string, topic: string): Promise<PartitionPosition[]>;
  /** The earliest and next-to-be-written offset of every partition of a topic. */
  offsets(topic: string): Promise<Array<{ partition: number; earliest: string; latest: string }>>;
  /** What the log holds of each of these topics, in the order asked: records, and bytes on disk. */
  holdings(topics: readonly string[]): Promise<LogHoldings>;
  /** Reads up to `max` records of one partition from `offset`, without a group (replay, audit). */
  read(topic: string, partition: number, offset: string, max: number): Promise<LogRecord[]>;
  close(): Promise<void>;
}
