import type {
  ConsumerHandle,
  ConsumerOptions,
  EventLog,
  LogHoldings,
  LogRecord,
  OutgoingMessage,
  PartitionPosition,
  PublishedRecord,
  TopicSpec,
} from './event-log.port';
import { InvalidTopicError } from './event-log.errors';

const PREFIX = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * An event log whose topics all live under a prefix on the underlying log
 * (`<prefix>provenance.training.v1`), while its callers keep the platform's
 * topic names: several platforms, or test runs, share one Kafka cluster
 * without seeing each other's events.
 */
export class NamespacedEventLog implements EventLog {
  constructor(
    private readonly inner: EventLog,
    private readonly prefix: string,
  ) {
    if (!PREFIX.test(prefix)) {
      throw new InvalidTopicError(prefix, 'a topic prefix is 1 to 100 of [A-Za-z0-9._-]');
    }
  }

  ensureTopics(topics: TopicSpec[]): Promise<void> {
    return this.inner.ensureTopics(topics.map((t) => ({ ...t, name: this.outer(t.name) })));
  }

  publish(topic: string, messages: OutgoingMessage[]): Promise<PublishedRecord[]> {
    return this.inner.publish(this.outer(topic), messages);
  }

  async consume(options: ConsumerOptions): Promise<ConsumerHandle> {
    const handle = await this.inner.consume({
      ...options,
      topics: options.topics.map((t) => this.outer(t)),
      ...(options.exclusiveTopics ? { exclusiveTopics: options.exclusiveTopics.map((t) => this.outer(t)) } : {}),
      onBatch: (batch, innerHandle) =>
        options.onBatch(
          { ...batch, topic: this.local(batch.topic), records: batch.records.map((r) => this.localRecord(r)) },
          this.localHandle(innerHandle),
        ),
    });
    return this.localHandle(handle);
  }

  async committedOffsets(groupId: string, topic: string): Promise<PartitionPosition[]> {
    const positions = await this.inner.committedOffsets(groupId, this.outer(topic));
    return positions.map((p) => ({ ...p, topic }));
  }

  offsets(topic: string): Promise<Array<{ partition: number; earliest: string; latest: string }>> {
    return this.inner.offsets(this.outer(topic));
  }

  async holdings(topics: readonly string[]): Promise<LogHoldings> {
    const held = await this.inner.holdings(topics.map((t) => this.outer(t)));
    return { ...held, topics: held.topics.map((t) => ({ ...t, topic: this.local(t.topic) })) };
  }

  async read(topic: string, partition: number, offset: string, max: number): Promise<LogRecord[]> {
    return (await this.inner.read(this.outer(topic), partition, offset, max)).map((r) => this.localRecord(r));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private outer(topic: string): string {
    return `${this.prefix}${topic}`;
  }

  private local(topic: string): string {
    return topic.startsWith(this.prefix) ? topic.slice(this.prefix.length) : topic;
  }

  private localRecord(record: LogRecord): LogRecord {
    return { ...record, topic: this.local(record.topic) };
  }

  private localHandle(handle: ConsumerHandle): ConsumerHandle {
    const assignment = handle.assignment?.bind(handle);
    return {
      commit: (positions) => handle.commit(positions.map((p) => ({ ...p, topic: this.outer(p.topic) }))),
      stop: () => handle.stop(),
      ...(assignment
        ? {
            assignment: () => {
              const held = assignment();
              return held.state === 'assigned'
                ? { ...held, partitions: held.partitions.map((p) => ({ ...p, topic: this.local(p.topic) })) }
                : held;
            },
          }
        : {}),
    };
  }
}
