import { CompressionTypes, Kafka, Message, Partitioners, Producer, RecordMetadata, RetryOptions } from 'kafkajs';
import { EventLogClosedError } from '../event-log.errors';
import type { PublishedRecord } from '../event-log.port';
import { KafkaLogError, toLogError } from './kafka-event-log.errors';
import { positionsInRequest } from './publish-positions';

/**
 * Publishes that wait while a request is out go together in the next one, up
 * to this many bytes: well under the 1 MiB record batch Kafka accepts by default.
 */
const MAX_MERGED_BYTES = 512 * 1024;
/** Retries of a request back off from this long to at most a second, so a new partition leader is found soon. */
const FIRST_RETRY_MS = 200;
const LAST_RETRY_MS = 1_000;

export interface ProducerSettings {
  compression: CompressionTypes;
  /** How long a publish waits for its acknowledgement, from the call. */
  timeoutMs: number;
}

interface Publish {
  topic: string;
  /** Each with its partition set. */
  messages: Message[];
  partitions: number[];
  bytes: number;
  state: 'queued' | 'sending' | 'settled';
  timer?: NodeJS.Timeout;
  resolve(positions: PublishedRecord[]): void;
  reject(error: unknown): void;
}

interface ProducerGeneration {
  producer: Producer;
  connected: Promise<void>;
  /** Requests still running on it, also those whose publishes gave up waiting. */
  running: Set<Promise<unknown>>;
}

interface Request {
  publishes: Publish[];
  generation: ProducerGeneration;
  /** Resolves once the request is answered or given up on. */
  done: Promise<void>;
  finish: () => void;
}

/**
 * Publishes through kafkajs's idempotent producer with acks from all in-sync
 * replicas, one produce request at a time; publishes that arrive meanwhile go
 * out together in the next request.
 *
 * A request that failed or was given up on may still have been written, and
 * kafkajs hands its sequence numbers to the next request; had that one as many
 * records per partition, the broker would take it for a retry of the written
 * one and acknowledge it, with the old offsets, without writing it. So after
 * any failure the producer is replaced (a new producer id starts new
 * sequences), and requests never overlap, so that none was queued behind the
 * failed one on the old producer.
 *
 * A lost broker is survived inside the request: kafkajs retries it with its
 * sequence numbers (the brokers write it once however often it goes out) for
 * as long as the publish may wait, and the partitions it answers without are
 * sent again on the same producer (see `produce`).
 */
export class IdempotentProducer {
  private generation?: ProducerGeneration;
  private readonly generations = new Set<ProducerGeneration>();
  private readonly queue: Publish[] = [];
  private inFlight?: Request;
  private closed = false;

  private constructor(
    private readonly kafka: Kafka,
    private readonly settings: ProducerSettings,
  ) {}

  /** Connects the first producer (it asks the brokers for a producer id); rejects if they cannot be reached. */
  static async connect(kafka: Kafka, settings: ProducerSettings): Promise<IdempotentProducer> {
    const producer = new IdempotentProducer(kafka, settings);
    const generation = producer.current();
    try {
      await generation.connected;
    } catch (error) {
      producer.retire(generation);
      throw error;
    }
    return producer;
  }

  /** Resolves with each message's position once all in-sync replicas have it; rejects after the timeout otherwise. */
  publish(topic: string, messages: Message[]): Promise<PublishedRecord[]> {
    if (this.closed) return Promise.reject(new EventLogClosedError());
    return new Promise((resolve, reject) => {
      const publish: Publish = {
        topic,
        messages,
        partitions: messages.map((m) => m.partition as number),
        bytes: messages.reduce((sum, m) => sum + bytesOf(m), 0),
        state: 'queued',
        resolve,
        reject,
      };
      publish.timer = setTimeout(() => this.giveUp(publish), this.settings.timeoutMs);
      this.queue.push(publish);
      this.sendNext();
    });
  }

  /** Refuses the publishes not sent yet, waits for the request out, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    for (const publish of this.queue.splice(0)) settle(publish, () => publish.reject(new EventLogClosedError()));
    await this.inFlight?.done;
    await Promise.all([...this.generations].map((generation) => this.disconnect(generation)));
  }

  private sendNext(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const publishes = [this.queue.shift() as Publish];
    let bytes = publishes[0].bytes;
    while (this.queue.length > 0 && bytes + this.queue[0].bytes <= MAX_MERGED_BYTES) {
      bytes += this.queue[0].bytes;
      publishes.push(this.queue.shift() as Publish);
    }
    for (const publish of publishes) publish.state = 'sending';
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const request: Request = { publishes, generation: this.current(), done, finish };
    this.inFlight = request;
    void this.send(request);
  }

  private async send(request: Request): Promise<void> {
    const { publishes, generation } = request;
    const sending = generation.connected.then(() => this.produce(generation, byTopic(publishes)));
    generation.running.add(sending);
    try {
      const positions = positionsInRequest(publishes, await sending);
      publishes.forEach((publish, i) => settle(publish, () => publish.resolve(positions[i])));
    } catch (error) {
      this.retire(generation);
      const topics = [...new Set(publishes.map((p) => p.topic))].join(', ');
      const failure = toLogError(error, `publishing to ${topics}`);
      for (const publish of publishes) settle(publish, () => publish.reject(failure));
    } finally {
      generation.running.delete(sending);
      if (generation !== this.generation && generation.running.size === 0) void this.disconnect(generation);
      this.finished(request);
    }
  }

  /**
   * Sends the messages and returns an acknowledgement for each partition.
   * kafkajs retries a request only to the brokers that have not answered it:
   * a partition whose leader was lost mid-request and moved to a broker that
   * had already answered for its own partitions is left out, and the request
   * resolves without it (kafkajs `producer/sendMessages.js`). Its sequence
   * numbers were taken back with its failed send, so sending its messages
   * again on this producer, alone and in the same order, lets the new leader
   * recognise the batch if the old one had written it.
   */
  private async produce(
    generation: ProducerGeneration,
    topicMessages: Array<{ topic: string; messages: Message[] }>,
  ): Promise<RecordMetadata[]> {
    const acks: RecordMetadata[] = [];
    let pending = topicMessages;
    while (pending.length > 0) {
      // Given up on (the publish timed out): its publishes are already rejected.
      if (generation !== this.generation) throw new KafkaLogError('the request was given up on', true);
      acks.push(
        ...(await generation.producer.sendBatch({
          acks: -1,
          timeout: this.settings.timeoutMs,
          compression: this.settings.compression,
          topicMessages: pending,
        })),
      );
      pending = unacknowledged(pending, acks);
    }
    return acks;
  }

  /** A publish's time is up: unsent, it is dropped; sent, its whole request is given up on, with its producer. */
  private giveUp(publish: Publish): void {
    const failure = new KafkaLogError(
      `no acknowledgement of the publish to ${publish.topic} within ${this.settings.timeoutMs} ms`,
      true,
    );
    if (publish.state === 'queued') {
      this.queue.splice(this.queue.indexOf(publish), 1);
      settle(publish, () => publish.reject(failure));
    } else if (publish.state === 'sending' && this.inFlight?.publishes.includes(publish)) {
      const request = this.inFlight;
      this.retire(request.generation);
      for (const sent of request.publishes) settle(sent, () => sent.reject(failure));
      this.finished(request);
    }
  }

  private finished(request: Request): void {
    request.finish();
    if (this.inFlight !== request) return;
    this.inFlight = undefined;
    this.sendNext();
  }

  private current(): ProducerGeneration {
    if (!this.generation) {
      const producer = this.kafka.producer({
        idempotent: true,
        // What kafkajs's idempotence needs: one request in flight per broker connection.
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Partitions are chosen before sending (murmur2, as this partitioner would); naming it silences kafkajs's warning.
        createPartitioner: Partitioners.DefaultPartitioner,
        // kafkajs gives a producer the client's retries (5, about 6 s), and a cluster replaces a lost leader
        // only once its controller fences it (broker.session.timeout.ms, 9 s by default).
        retry: retriesWithin(this.settings.timeoutMs),
      });
      this.generation = { producer, connected: producer.connect(), running: new Set() };
      this.generations.add(this.generation);
    }
    return this.generation;
  }

  /** Stops using a producer; it disconnects once the requests still running on it end. */
  private retire(generation: ProducerGeneration): void {
    if (this.generation === generation) this.generation = undefined;
    if (generation.running.size === 0) void this.disconnect(generation);
  }

  private async disconnect(generation: ProducerGeneration): Promise<void> {
    if (!this.generations.delete(generation)) return;
    // Nothing waits on a producer given up on or closed: how its disconnect ends changes nothing.
    await generation.producer.disconnect().catch(() => undefined);
  }
}

function settle(publish: Publish, outcome: () => void): void {
  if (publish.state === 'settled') return;
  publish.state = 'settled';
  clearTimeout(publish.timer);
  outcome();
}

/** The request's messages per topic, each topic's publishes in turn, as `positionsInRequest` counts them. */
function byTopic(publishes: Publish[]): Array<{ topic: string; messages: Message[] }> {
  const topics = new Map<string, Message[]>();
  for (const { topic, messages } of publishes) {
    const merged = topics.get(topic) ?? [];
    for (const message of messages) merged.push(message);
    topics.set(topic, merged);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

/** The messages of the partitions that no acknowledgement covers, per topic, in their order. */
function unacknowledged(
  topicMessages: Array<{ topic: string; messages: Message[] }>,
  acks: RecordMetadata[],
): Array<{ topic: string; messages: Message[] }> {
  const acknowledged = new Set(
    acks
      .filter(({ baseOffset }) => baseOffset !== undefined && baseOffset !== '-1')
      .map(({ topicName, partition }) => `${topicName}/${partition}`),
  );
  return topicMessages
    .map(({ topic, messages }) => ({
      topic,
      messages: messages.filter(({ partition }) => !acknowledged.has(`${topic}/${partition}`)),
    }))
    .filter(({ messages }) => messages.length > 0);
}

/** Retries whose back-off (doubling up to a second) adds up to `timeoutMs`: the publish's timer ends the wait. */
function retriesWithin(timeoutMs: number): RetryOptions {
  let retries = 0;
  for (let waited = 0, wait = FIRST_RETRY_MS; waited < timeoutMs; wait = Math.min(wait * 2, LAST_RETRY_MS)) {
    waited += wait;
    retries += 1;
  }
  return { retries, initialRetryTime: FIRST_RETRY_MS, maxRetryTime: LAST_RETRY_MS };
}

/** A message's payload bytes: key, value and headers. */
export function bytesOf(message: Message): number {
  let bytes = Buffer.byteLength(message.key ?? '') + Buffer.byteLength(message.value ?? '');
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(String(value ?? ''));
  }
  return bytes;
}
