import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PartitionPosition } from '../event-log.port';
import { UnknownTopicError } from '../event-log.errors';
import { writeFileAtomically } from './durable-files';
import { LogCorruptedError } from './file-event-log.errors';
import { parseOffset } from './offset-text';
import { assignRanges, TopicPartition } from '../range-assignment';
import { SerialQueue } from './serial-queue';

/** What a group needs to know of the log's topics. */
export interface GroupTopics {
  /** Throws UnknownTopicError for a topic that does not exist. */
  partitionCount(topic: string): number;
  earliest(topic: string, partition: number): number;
  /** Makes every record of the partition written so far durable. */
  flush(topic: string, partition: number): Promise<void>;
}

/** A live consumer of the group, as the group sees it. */
export interface GroupMemberHandle {
  readonly id: string;
  readonly topics: readonly string[];
  readonly exclusiveTopics?: readonly string[];
  /** Gives up every partition not in `keep`; resolves once no batch of those is in progress. */
  revokeAllBut(keep: TopicPartition[]): Promise<void>;
  /** Takes these partitions; a newly taken one starts at `startAt`. */
  assign(partitions: TopicPartition[], startAt: (partition: TopicPartition) => number): void;
  /** Finishes the batch in progress and leaves the group. */
  stop(): Promise<void>;
}

type Offsets = Map<string, Map<number, number>>;

/**
 * A consumer group of the file log: its committed offsets, kept in one file
 * per group that every commit replaces atomically, and its live members,
 * among which the partitions are assigned by ranges again whenever one
 * joins or leaves. A partition changes hands only after its previous owner's
 * batch in progress has finished, and the new owner starts at the committed
 * offset: records handled but not committed are delivered again.
 */
export class ConsumerGroup {
  private readonly members: GroupMemberHandle[] = [];
  /** Rebalances and commit writes each run one at a time, in call order. */
  private readonly rebalances = new SerialQueue();
  private readonly commits = new SerialQueue();

  private constructor(
    readonly groupId: string,
    private readonly file: string,
    private offsets: Offsets,
    private readonly topics: GroupTopics,
    private readonly sync: boolean,
  ) {}

  static fileName(groupId: string): string {
    return `${encodeURIComponent(groupId)}.json`;
  }

  static create(directory: string, groupId: string, topics: GroupTopics, sync: boolean): ConsumerGroup {
    return new ConsumerGroup(groupId, join(directory, ConsumerGroup.fileName(groupId)), new Map(), topics, sync);
  }

  static async load(file: string, topics: GroupTopics, sync: boolean): Promise<ConsumerGroup> {
    let stored: { groupId?: unknown; offsets?: Record<string, Record<string, string>> };
    try {
      stored = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new LogCorruptedError(file, 0, `unreadable committed offsets (${(error as Error).message})`);
    }
    if (typeof stored.groupId !== 'string' || typeof stored.offsets !== 'object' || stored.offsets === null) {
      throw new LogCorruptedError(file, 0, 'committed offsets file lacks groupId or offsets');
    }
    const offsets: Offsets = new Map(
      Object.entries(stored.offsets).map(([topic, partitions]) => [
        topic,
        new Map(Object.entries(partitions).map(([partition, offset]) => [Number(partition), Number(offset)])),
      ]),
    );
    return new ConsumerGroup(stored.groupId, file, offsets, topics, sync);
  }

  committed(topic: string): PartitionPosition[] {
    return [...(this.offsets.get(topic) ?? new Map<number, number>())]
      .sort(([a], [b]) => a - b)
      .map(([partition, offset]) => ({ topic, partition, offset: String(offset) }));
  }

  /** Records the positions durably; commits apply in call order, a later one overwriting an earlier one. */
  commit(positions: PartitionPosition[]): Promise<void> {
    let parsed: Array<TopicPartition & { next: number }>;
    try {
      parsed = positions.map(({ topic, partition, offset }) => ({
        topic,
        partition,
        next: this.parse(topic, partition, offset),
      }));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.commits.run(async () => {
      // A commit must never point past what a crash could take back, or the
      // offsets would be handed out again to new records that the group skips.
      await Promise.all(parsed.map(({ topic, partition }) => this.topics.flush(topic, partition)));
      const offsets: Offsets = new Map([...this.offsets].map(([topic, partitions]) => [topic, new Map(partitions)]));
      for (const { topic, partition, next } of parsed) {
        offsets.set(topic, (offsets.get(topic) ?? new Map<number, number>()).set(partition, next));
      }
      await writeFileAtomically(this.file, this.serialize(offsets), this.sync);
      this.offsets = offsets;
    });
  }

  join(member: GroupMemberHandle): Promise<void> {
    this.members.push(member);
    return this.rebalance();
  }

  leave(member: GroupMemberHandle): Promise<void> {
    const index = this.members.indexOf(member);
    if (index >= 0) this.members.splice(index, 1);
    return this.rebalance();
  }

  async stopMembers(): Promise<void> {
    await Promise.all([...this.members].map((member) => member.stop()));
  }

  private rebalance(): Promise<void> {
    return this.rebalances.run(() => this.reassign());
  }

  private async reassign(): Promise<void> {
    const members = [...this.members];
    const target = assignRanges(members, (topic) => this.topics.partitionCount(topic));
    await Promise.all(members.map((member) => member.revokeAllBut(target.get(member.id) ?? [])));
    for (const member of members) {
      member.assign(
        target.get(member.id) ?? [],
        ({ topic, partition }) => this.offsets.get(topic)?.get(partition) ?? this.topics.earliest(topic, partition),
      );
    }
  }

  private parse(topic: string, partition: number, offset: string): number {
    if (!Number.isInteger(partition) || partition < 0 || partition >= this.topics.partitionCount(topic)) {
      throw new UnknownTopicError(topic, partition);
    }
    return parseOffset(offset);
  }

  private serialize(offsets: Offsets): string {
    const stored = Object.fromEntries(
      [...offsets].map(([topic, partitions]) => [
        topic,
        Object.fromEntries([...partitions].map(([partition, offset]) => [partition, String(offset)])),
      ]),
    );
    return `${JSON.stringify({ groupId: this.groupId, offsets: stored }, null, 2)}\n`;
  }
}
