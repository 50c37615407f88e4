import { EventEmitter } from 'node:events';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
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
import { EventLogClosedError, OffsetOutOfRangeError, UnknownTopicError } from '../event-log.errors';
import { partitionForKey } from '../partitioner';
import { ConsumerGroup, GroupTopics } from './consumer-group';
import { DataDirectoryLock } from './data-directory-lock';
import { syncDirectory } from './durable-files';
import { FileEventLogOptions, FileEventLogSettings, resolveOptions } from './file-event-log.options';
import { GroupConsumer, PartitionSource } from './group-consumer';
import { parseOffset } from './offset-text';
import { PartitionLog, Truncation } from './partition-log';
import { encodeMessage, EncodedMessage } from './record-codec';
import { SerialQueue } from './serial-queue';
import { TopicLog } from './topic-log';

/** What opening the log found and repaired. */
export interface RecoveryReport {
  /** Torn tails cut off segments (the last write before a crash), one per partition at most. */
  truncations: Truncation[];
  truncatedBytes: number;
}

const DEFAULT_MAX_BATCH_SIZE = 500;
/** Bytes one `read` or consumer batch returns at most (always at least one record). */
const MAX_READ_BYTES = 16 * 1024 * 1024;

/**
 * The embedded event log: Kafka's topic, partition, offset and consumer-group
 * semantics over files in one data directory, for one process at a time.
 *
 *   <dir>/LOCK                                 pid of the owning process
 *   <dir>/topics/<topic>/topic.json            partition count
 *   <dir>/topics/<topic>/<partition>/<base offset, 20 digits>.log     segments
 *   <dir>/topics/<topic>/<partition>/<base offset, 20 digits>.index   record positions of a sealed segment
 *   <dir>/groups/<url-encoded group id>.json   committed offsets
 */
export class FileEventLog implements EventLog {
  private readonly topicChanges = new SerialQueue();
  private memberCount = 0;
  private closed?: Promise<void>;
  private flusher?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  private constructor(
    readonly directory: string,
    private readonly settings: FileEventLogSettings,
    private readonly lock: DataDirectoryLock,
    private readonly topics: Map<string, TopicLog>,
    private readonly groups: Map<string, ConsumerGroup>,
    readonly recovery: RecoveryReport,
    /** Emits a topic's name after each append to it: consumers wait on this instead of polling. */
    private readonly appends: EventEmitter,
  ) {
    if (settings.sync === 'interval') {
      // A tick that finds the previous fsync still running skips its turn.
      this.flusher = setInterval(() => {
        this.flushing ??= this.syncDirtyPartitions().finally(() => (this.flushing = undefined));
      }, settings.syncIntervalMs).unref();
    }
  }

  /**
   * Opens (creating if needed) the log in `directory`: takes the directory's
   * lock, then rebuilds the in-memory index. The last segment of each
   * partition is read whole, each record's CRC checked and a torn tail cut
   * off (see `recovery`); sealed segments load their index files, and are
   * read whole only when those are missing or do not match them.
   */
  static async open(directory: string, options: FileEventLogOptions = {}): Promise<FileEventLog> {
    const settings = resolveOptions(options);
    await mkdir(directory, { recursive: true });
    const lock = await DataDirectoryLock.acquire(directory);
    const topics = new Map<string, TopicLog>();
    try {
      const topicsDirectory = join(directory, 'topics');
      const groupsDirectory = join(directory, 'groups');
      await mkdir(topicsDirectory, { recursive: true });
      await mkdir(groupsDirectory, { recursive: true });
      if (settings.sync !== 'never') await syncDirectory(directory);
      const appends = new EventEmitter().setMaxListeners(0);
      const truncations: Truncation[] = [];
      for (const name of (await readdir(topicsDirectory)).sort()) {
        const opened = await TopicLog.open(topicsDirectory, name, settings, () => appends.emit(name));
        if (!opened) continue;
        topics.set(name, opened.topic);
        truncations.push(...opened.truncations);
      }
      const groups = new Map<string, ConsumerGroup>();
      const groupTopics = topicsOf(topics);
      for (const file of (await readdir(groupsDirectory)).filter((name) => name.endsWith('.json')).sort()) {
        const group = await ConsumerGroup.load(join(groupsDirectory, file), groupTopics, settings.sync !== 'never');
        groups.set(group.groupId, group);
      }
      const truncatedBytes = truncations.reduce((sum, truncation) => sum + truncation.bytes, 0);
      return new FileEventLog(directory, settings, lock, topics, groups, { truncations, truncatedBytes }, appends);
    } catch (error) {
      await Promise.all([...topics.values()].map((topic) => topic.close()));
      await lock.release();
      throw error;
    }
  }

  ensureTopics(specs: TopicSpec[]): Promise<void> {
    return this.topicChanges.run(async () => {
      this.assertOpen();
      for (const { name, partitions } of specs) TopicLog.assertValid(name, partitions);
      for (const { name, partitions } of specs) {
        if (this.topics.has(name)) continue;
        const topic = await TopicLog.create(join(this.directory, 'topics'), name, partitions, this.settings, () =>
          this.appends.emit(name),
        );
        this.topics.set(name, topic);
      }
    });
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<PublishedRecord[]> {
    this.assertOpen();
    const { partitions } = this.topic(topic);
    if (messages.length === 0) return [];
    const byPartition = new Map<number, { indexes: number[]; messages: EncodedMessage[] }>();
    messages.forEach((message, index) => {
      const encoded = encodeMessage(message);
      const partition = partitionForKey(encoded.key, partitions.length);
      const group = byPartition.get(partition) ?? { indexes: [], messages: [] };
      group.indexes.push(index);
      group.messages.push(encoded);
      byPartition.set(partition, group);
    });
    const published: PublishedRecord[] = new Array(messages.length);
    await Promise.all(
      [...byPartition].map(async ([partition, group]) => {
        const baseOffset = await partitions[partition].append(group.messages);
        group.indexes.forEach((index, i) => (published[index] = { partition, offset: String(baseOffset + i) }));
      }),
    );
    return published;
  }

  async consume(options: ConsumerOptions): Promise<ConsumerHandle> {
    this.assertOpen();
    for (const topic of options.topics) this.topic(topic);
    const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
      throw new RangeError(`maxBatchSize must be a positive integer, got ${maxBatchSize}`);
    }
    const group = this.group(options.groupId);
    const consumer = new GroupConsumer(
      `${options.groupId}#${++this.memberCount}`,
      { ...options, maxBatchSize },
      group,
      this.partitionSource(),
      this.settings.onConsumerError,
    );
    consumer.start();
    await group.join(consumer);
    return consumer;
  }

  async committedOffsets(groupId: string, topic: string): Promise<PartitionPosition[]> {
    this.assertOpen();
    this.topic(topic);
    return this.groups.get(groupId)?.committed(topic) ?? [];
  }

  async offsets(topic: string): Promise<Array<{ partition: number; earliest: string; latest: string }>> {
    this.assertOpen();
    return this.topic(topic).partitions.map((log) => ({
      partition: log.partition,
      earliest: String(log.earliest),
      latest: String(log.latest),
    }));
  }

  async holdings(topics: readonly string[]): Promise<LogHoldings> {
    this.assertOpen();
    return {
      kind: 'file',
      topics: topics.map((name) => {
        const { partitions } = this.topic(name);
        return {
          topic: name,
          partitions: partitions.length,
          records: partitions.reduce((sum, log) => sum + log.latest - log.earliest, 0),
          bytesOnDisk: partitions.reduce((sum, log) => sum + log.bytes, 0),
        };
      }),
    };
  }

  async read(topic: string, partition: number, offset: string, max: number): Promise<LogRecord[]> {
    this.assertOpen();
    const log = this.partition(topic, partition);
    const from = parseOffset(offset);
    if (from < log.earliest || from > log.latest) {
      throw new OffsetOutOfRangeError(topic, partition, offset, String(log.earliest), String(log.latest));
    }
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
    return log.read(from, max, MAX_READ_BYTES);
  }

  /** Stops the consumers (each finishing its batch), waits for writes, syncs and releases the directory. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      clearInterval(this.flusher);
      try {
        await this.flushing;
        await Promise.all([...this.groups.values()].map((group) => group.stopMembers()));
        await this.topicChanges.settled();
        await Promise.all([...this.topics.values()].map((topic) => topic.close()));
      } finally {
        await this.lock.release();
      }
    })();
    return this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventLogClosedError();
  }

  private topic(name: string): TopicLog {
    const topic = this.topics.get(name);
    if (!topic) throw new UnknownTopicError(name);
    return topic;
  }

  private partition(topic: string, partition: number): PartitionLog {
    const log = this.topic(topic).partitions[partition];
    if (!log) throw new UnknownTopicError(topic, partition);
    return log;
  }

  private group(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = ConsumerGroup.create(
        join(this.directory, 'groups'),
        groupId,
        topicsOf(this.topics),
        this.settings.sync !== 'never',
      );
      this.groups.set(groupId, group);
    }
    return group;
  }

  private partitionSource(): PartitionSource {
    return {
      read: (topic, partition, offset, max) => this.partition(topic, partition).read(offset, max, MAX_READ_BYTES),
      latest: (topic, partition) => this.partition(topic, partition).latest,
      onAppend: (topics, listener) => {
        for (const topic of topics) this.appends.on(topic, listener);
        return () => topics.forEach((topic) => this.appends.off(topic, listener));
      },
    };
  }

  /** A partition whose fsync fails keeps the error and refuses later writes with it. */
  private async syncDirtyPartitions(): Promise<void> {
    await Promise.allSettled([...this.topics.values()].flatMap((topic) => topic.partitions.map((log) => log.flush())));
  }
}

function topicsOf(topics: Map<string, TopicLog>): GroupTopics {
  const partitions = (topic: string) => {
    const log = topics.get(topic);
    if (!log) throw new UnknownTopicError(topic);
    return log.partitions;
  };
  return {
    partitionCount: (topic) => partitions(topic).length,
    earliest: (topic, partition) => partitions(topic)[partition].earliest,
    flush: (topic, partition) => partitions(topic)[partition].flush(),
  };
}
