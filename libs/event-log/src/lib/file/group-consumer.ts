import { ConsumerHandle, ConsumerOptions, LogRecord, PartitionPosition } from '../event-log.port';
import { ConsumerGroup, GroupMemberHandle } from './consumer-group';
import { ConsumerErrorContext } from './file-event-log.options';
import { TopicPartition } from '../range-assignment';

/** What a consumer needs of the log's partitions. */
export interface PartitionSource {
  read(topic: string, partition: number, offset: number, max: number): Promise<LogRecord[]>;
  latest(topic: string, partition: number): number;
  /** Calls `listener` after each append to one of `topics`; returns the unsubscribe function. */
  onAppend(topics: readonly string[], listener: () => void): () => void;
}

interface OwnedPartition extends TopicPartition {
  /** The next offset to deliver. */
  next: number;
}

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;

/**
 * One member of a consumer group in this process. A single loop delivers
 * batches from the partitions it owns, taking them in turn, and sleeps on the
 * log's append notifications when it has caught up. A batch whose handler
 * throws is delivered again (after a growing pause), so nothing is skipped.
 */
export class GroupConsumer implements ConsumerHandle, GroupMemberHandle {
  readonly topics: readonly string[];
  readonly exclusiveTopics: readonly string[];
  private readonly owned = new Map<string, OwnedPartition>();
  private turn = 0;
  private inFlight?: { key: string; done: Promise<void> };
  private signalled = false;
  private wake?: () => void;
  private stopping = false;
  private stopRequested!: () => void;
  private readonly stopSignal = new Promise<void>((resolve) => (this.stopRequested = resolve));
  private loop: Promise<void> = Promise.resolve();
  private stopped?: Promise<void>;
  private unsubscribe: () => void = () => undefined;

  constructor(
    readonly id: string,
    private readonly options: ConsumerOptions & { maxBatchSize: number },
    private readonly group: ConsumerGroup,
    private readonly source: PartitionSource,
    private readonly onError: (error: unknown, context: ConsumerErrorContext) => void,
  ) {
    this.topics = [...new Set(options.topics)];
    this.exclusiveTopics = (options.exclusiveTopics ?? []).filter((topic) => this.topics.includes(topic));
  }

  start(): void {
    this.unsubscribe = this.source.onAppend(this.topics, () => this.signal());
    this.loop = this.run();
  }

  commit(positions: PartitionPosition[]): Promise<void> {
    return this.group.commit(positions);
  }

  /** Resolves once the batch in progress (if any) has finished and the group has reassigned the partitions. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.stopRequested();
      this.signal();
      await this.loop;
      this.unsubscribe();
      await this.group.leave(this);
    })();
    return this.stopped;
  }

  revokeAllBut(keep: TopicPartition[]): Promise<void> {
    const kept = new Set(keep.map(keyOf));
    for (const key of this.owned.keys()) if (!kept.has(key)) this.owned.delete(key);
    return this.inFlight && !kept.has(this.inFlight.key) ? this.inFlight.done : Promise.resolve();
  }

  assign(partitions: TopicPartition[], startAt: (partition: TopicPartition) => number): void {
    for (const partition of partitions) {
      const key = keyOf(partition);
      if (!this.owned.has(key)) this.owned.set(key, { ...partition, next: startAt(partition) });
    }
    this.signal();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      this.signalled = false;
      const partition = this.nextReady();
      if (!partition) {
        await this.waitForSignal();
        continue;
      }
      const failed = await this.deliver(partition);
      failures = failed ? failures + 1 : 0;
      if (failed) await this.pause(Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), LAST_RETRY_MS));
    }
  }

  /** Delivers one batch from `partition`; returns whether it has to be delivered again. */
  private async deliver(partition: OwnedPartition): Promise<boolean> {
    const key = keyOf(partition);
    let finished!: () => void;
    this.inFlight = { key, done: new Promise((resolve) => (finished = resolve)) };
    const { topic, partition: number, next } = partition;
    try {
      const records = await this.source.read(topic, number, next, this.options.maxBatchSize);
      // Revoked while reading: the new owner starts from the committed offset.
      if (this.owned.get(key) !== partition) return false;
      await this.options.onBatch({ topic, partition: number, records }, this);
      partition.next = next + records.length;
      return false;
    } catch (error) {
      this.onError(error, { groupId: this.group.groupId, topic, partition: number, offset: String(next) });
      return true;
    } finally {
      this.inFlight = undefined;
      finished();
    }
  }

  /** The next owned partition with records to deliver, taking partitions in turn. */
  private nextReady(): OwnedPartition | undefined {
    const partitions = [...this.owned.values()];
    for (let i = 0; i < partitions.length; i++) {
      const candidate = partitions[(this.turn + i) % partitions.length];
      if (candidate.next < this.source.latest(candidate.topic, candidate.partition)) {
        this.turn = (this.turn + i + 1) % partitions.length;
        return candidate;
      }
    }
    return undefined;
  }

  private signal(): void {
    this.signalled = true;
    this.wake?.();
  }

  private async waitForSignal(): Promise<void> {
    if (!this.signalled) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
  }

  /** Waits before a redelivery; stopping cuts the wait short. */
  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, ms))), this.stopSignal]);
    clearTimeout(timer);
  }
}

function keyOf({ topic, partition }: TopicPartition): string {
  return `${partition}@${topic}`;
}
