import { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { ConsumerHandle, ConsumerOptions, MemberAssignment, PartitionPosition } from '../event-log.port';
import type { ConsumerErrorContext } from '../file/file-event-log.options';
import { KafkaLogError, toLogError } from './kafka-event-log.errors';
import { toLogRecord } from './log-record';
import { rangeAssigner } from './range-assigner';

/** kafkajs's default, a tenth of the 30 s session timeout. */
const HEARTBEAT_INTERVAL_MS = 3_000;
/**
 * How long a fetch waits at the broker when there is nothing new, and so how
 * long `stop` may wait for it (kafkajs lets it finish). Kafka's Java consumer
 * waits 500 ms too (fetch.max.wait.ms); kafkajs's 5 s made every stop slow.
 */
const MAX_WAIT_MS = 500;
const MAX_BYTES_PER_PARTITION = 16 * 1024 * 1024;
const MAX_BYTES = 64 * 1024 * 1024;
/** About 32 batches of 1,000 predictions: a round of seconds on the store. */
const MAX_SLICE_BYTES = 8 * 1024 * 1024;
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;

export interface GroupConsumerSettings {
  maxBatchSize: number;
  /**
   * A slice also ends once its messages' values reach this many bytes (it
   * holds one message at least). A handler runs a slice as one round, and
   * while it runs the member cannot rejoin a rebalancing group, which waits
   * for it: rounds of a few seconds keep a rebalance short. Default 8 MiB.
   */
  maxBatchBytes?: number;
  onConsumerError: (error: unknown, context: ConsumerErrorContext) => void;
  /** Refuses positions of partitions that do not exist, or invalid offsets, before they are committed. */
  checkPositions: (positions: PartitionPosition[]) => Promise<void>;
  onStopped: () => void;
  /** Told when kafkajs gave up on the member for good (it does not restart on an error it deems final): it joins again. */
  onRejoin?: (error: unknown, groupId: string) => void;
}

/**
 * One member of a Kafka consumer group (kafkajs, auto-commit off). Each
 * kafkajs batch is handed over in slices of at most `maxBatchSize` records;
 * a slice's records are marked consumed (`resolveOffset`) only once its
 * handler has resolved.
 *
 * A handler that throws is reported to `onConsumerError`, and the batch is
 * left unresolved, so kafkajs's next fetch of the partition starts at its
 * first record again: it is delivered again after a growing pause, as in the
 * file log. The error is not thrown into kafkajs: kafkajs would stop the
 * consumer for good on a TypeError or on an error saying it is not retriable.
 */
export class KafkaGroupConsumer implements ConsumerHandle {
  private stopping = false;
  private disconnecting = false;
  private stopped?: Promise<void>;
  private inFlight: Promise<void> = Promise.resolve();
  private failures = 0;
  private readonly wakers = new Set<() => void>();
  private consumer?: Consumer;
  /** A rejoin under way after kafkajs gave the consumer up. */
  private rejoining?: Promise<void>;
  /** Until the first join completes, the member is joining: as good as rebalancing. */
  private held: MemberAssignment = { state: 'rebalancing', since: Date.now() };

  private constructor(
    private readonly kafka: Kafka,
    private readonly options: ConsumerOptions,
    private readonly settings: GroupConsumerSettings,
  ) {}

  /** Resolves once the member has joined the group and been given its partitions. */
  static async start(
    kafka: Kafka,
    options: ConsumerOptions,
    settings: GroupConsumerSettings,
  ): Promise<KafkaGroupConsumer> {
    const member = new KafkaGroupConsumer(kafka, options, settings);
    await member.join();
    return member;
  }

  /** A new kafkajs consumer in the group, running. */
  private async join(): Promise<void> {
    const { options } = this;
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      // Every member names the same exclusive topics, so the leader's assignor holds for the whole group.
      partitionAssigners: [rangeAssigner(options.exclusiveTopics ?? [])],
      allowAutoTopicCreation: false,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      maxWaitTimeInMs: MAX_WAIT_MS,
      maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
      maxBytes: MAX_BYTES,
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart && consumer === this.consumer) this.rejoinAfter(payload.error);
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (consumer !== this.consumer) return;
      const partitions = Object.entries(payload.memberAssignment).flatMap(([topic, numbers]) =>
        numbers.map((partition) => ({ topic, partition })),
      );
      this.held = { state: 'assigned', partitions, since: Date.now() };
    });
    consumer.on(consumer.events.REBALANCING, () => {
      if (consumer === this.consumer && this.held.state === 'assigned') {
        this.held = { state: 'rebalancing', since: Date.now() };
      }
    });
    this.consumer = consumer;
    try {
      await consumer.connect();
      // A group without a commit for a partition starts at its earliest offset.
      await consumer.subscribe({ topics: options.topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.track(payload),
      });
    } catch (error) {
      // The failure to report is the one above; a failed disconnect adds nothing to it.
      await consumer.disconnect().catch(() => undefined);
      throw toLogError(error, `cannot join consumer group ${options.groupId}`);
    }
  }

  /** Joins the group again, as a new consumer, until it is in or the member stops. */
  private rejoinAfter(error: unknown): void {
    if (this.stopping || this.rejoining) return;
    this.settings.onRejoin?.(error, this.options.groupId);
    this.rejoining = (async () => {
      for (let attempt = 0; !this.stopping; attempt++) {
        await this.pause(Math.min(FIRST_RETRY_MS * 2 ** attempt, LAST_RETRY_MS));
        if (this.stopping) return;
        try {
          await this.join();
          return;
        } catch (failure) {
          this.settings.onRejoin?.(failure, this.options.groupId);
        }
      }
    })().finally(() => (this.rejoining = undefined));
  }

  assignment(): MemberAssignment {
    return this.held;
  }

  async commit(positions: PartitionPosition[]): Promise<void> {
    await this.settings.checkPositions(positions);
    // kafkajs would drop the commit silently once its consumer stops.
    if (this.disconnecting) {
      throw new KafkaLogError(`the consumer of group ${this.options.groupId} has stopped: nothing committed`, false);
    }
    try {
      await (this.consumer as Consumer).commitOffsets(
        positions.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
      );
    } catch (error) {
      throw toLogError(error, `cannot commit offsets of group ${this.options.groupId}`);
    }
  }

  /** Lets the batch in progress finish, its commits included (kafkajs drops commits once its stop begins), then leaves the group. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      for (const wake of this.wakers) wake();
      await this.rejoining;
      await this.inFlight;
      this.disconnecting = true;
      try {
        await this.consumer?.disconnect();
      } catch (error) {
        throw toLogError(error, `cannot leave consumer group ${this.options.groupId}`);
      } finally {
        this.settings.onStopped();
      }
    })();
    return this.stopped;
  }

  private track(payload: EachBatchPayload): Promise<void> {
    const handling = this.deliver(payload);
    // `stop` waits for the batch, not for its outcome: kafkajs deals with a failed heartbeat.
    this.inFlight = handling.catch(() => undefined);
    return handling;
  }

  private async deliver({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    for (const messages of this.slices(batch.messages)) {
      // A heartbeat the group refused (it is rebalancing) stops every slice, of this batch and of the others of
      // the same fetch, until the member has joined again: the group waits for it, and its partitions may be others'.
      if (this.stopping || this.held.state === 'rebalancing' || !isRunning() || isStale()) return;
      const records = messages.map((message) => toLogRecord(topic, partition, message));
      try {
        await this.whileHeartbeating(heartbeat, () => this.options.onBatch({ topic, partition, records }, this));
      } catch (error) {
        this.failures += 1;
        this.settings.onConsumerError(error, {
          groupId: this.options.groupId,
          topic,
          partition,
          offset: records[0].offset,
        });
        await this.pause(Math.min(FIRST_RETRY_MS * 2 ** (this.failures - 1), LAST_RETRY_MS));
        return; // unresolved: fetched again from its first record
      }
      this.failures = 0;
      resolveOffset(records[records.length - 1].offset);
      await heartbeat();
    }
  }

  /** The fetched messages in slices of at most `maxBatchSize` messages and `maxBatchBytes` bytes of values (one at least). */
  private *slices<T extends { value: Buffer | null }>(messages: readonly T[]): Iterable<T[]> {
    const maxBytes = this.settings.maxBatchBytes ?? MAX_SLICE_BYTES;
    let slice: T[] = [];
    let bytes = 0;
    for (const message of messages) {
      const size = message.value?.length ?? 0;
      if (slice.length > 0 && (slice.length >= this.settings.maxBatchSize || bytes + size > maxBytes)) {
        yield slice;
        slice = [];
        bytes = 0;
      }
      slice.push(message);
      bytes += size;
    }
    if (slice.length > 0) yield slice;
  }

  /**
   * kafkajs heartbeats only between batches, so a handler slower than the
   * session timeout would cost the member its partitions: keep heartbeating
   * while it runs. A heartbeat that fails here (the group is rebalancing, or
   * no longer knows the member) marks the member rebalancing until it has
   * joined again, and fails again at kafkajs's next one, where it rejoins.
   */
  private async whileHeartbeating(heartbeat: () => Promise<void>, work: () => Promise<void>): Promise<void> {
    const timer = setInterval(
      () =>
        void heartbeat().catch(() => {
          if (this.held.state === 'assigned') this.held = { state: 'rebalancing', since: Date.now() };
        }),
      HEARTBEAT_INTERVAL_MS,
    );
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
  }

  /** Waits before a batch is delivered again; `stop` cuts the wait short. */
  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}
