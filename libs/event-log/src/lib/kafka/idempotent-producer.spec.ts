import { CompressionTypes, Kafka, Message, ProducerBatch, ProducerConfig, RecordMetadata } from 'kafkajs';
import { EventLogClosedError } from '../event-log.errors';
import { IdempotentProducer } from './idempotent-producer';

interface FakeProducer {
  config: ProducerConfig;
  connect: jest.Mock;
  disconnect: jest.Mock;
  /** Each request sent, to be answered with `ack` or `fail`. */
  requests: Array<{
    batch: ProducerBatch;
    ack: (acks: RecordMetadata[]) => void;
    fail: (error: Error) => void;
  }>;
}

/** kafkajs's idempotent producers as far as IdempotentProducer uses them: every request waits for the test's answer. */
function fakeKafka() {
  const producers: FakeProducer[] = [];
  const kafka = {
    producer: (config: ProducerConfig) => {
      const producer: FakeProducer = {
        config,
        connect: jest.fn(async () => undefined),
        disconnect: jest.fn(async () => undefined),
        requests: [],
      };
      producers.push(producer);
      return {
        connect: producer.connect,
        disconnect: producer.disconnect,
        sendBatch: (batch: ProducerBatch) =>
          new Promise<RecordMetadata[]>((ack, fail) => producer.requests.push({ batch, ack, fail })),
      };
    },
  } as unknown as Kafka;
  return { kafka, producers };
}

const settings = { compression: CompressionTypes.None, timeoutMs: 1_000 };
const messages = (...partitions: number[]): Message[] =>
  partitions.map((partition, i) => ({ key: `k${i}`, value: Buffer.from(`v${i}`), partition }));
const ack = (topicName: string, partition: number, baseOffset: string) =>
  ({ topicName, partition, errorCode: 0, baseOffset }) as RecordMetadata;
/** Lets the producer's promise chains run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the idempotent producer behind publish', () => {
  afterEach(() => jest.useRealTimers());

  it('sends publishes that arrive while a request is out together in the next one, each with its positions', async () => {
    const { kafka, producers } = fakeKafka();
    const producer = await IdempotentProducer.connect(kafka, settings);

    const first = producer.publish('a', messages(0));
    const second = producer.publish('a', messages(1, 0));
    const third = producer.publish('b', messages(0));
    await settle();
    const [firstRequest] = producers[0].requests;
    expect(firstRequest.batch.topicMessages?.map((t) => [t.topic, t.messages.length])).toEqual([['a', 1]]);
    firstRequest.ack([ack('a', 0, '7')]);
    await settle();
    const [, merged] = producers[0].requests;
    merged.ack([ack('a', 0, '8'), ack('a', 1, '3'), ack('b', 0, '0')]);

    expect(await first).toEqual([{ partition: 0, offset: '7' }]);
    expect(await second).toEqual([
      { partition: 1, offset: '3' },
      { partition: 0, offset: '8' },
    ]);
    expect(await third).toEqual([{ partition: 0, offset: '0' }]);
    expect(merged.batch).toMatchObject({ acks: -1, compression: CompressionTypes.None });
    expect(merged.batch.topicMessages?.map((t) => [t.topic, t.messages.length])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('rejects, retriable, a publish left unacknowledged, and sends the next one on a new producer', async () => {
    jest.useFakeTimers();
    const { kafka, producers } = fakeKafka();
    const producer = await IdempotentProducer.connect(kafka, settings);

    const unanswered = producer.publish('a', messages(0));
    const outcome = unanswered.catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(1_000);

    expect(await outcome).toMatchObject({ retriable: true, message: expect.stringContaining('within 1000 ms') });
    const next = producer.publish('a', messages(0));
    await jest.advanceTimersByTimeAsync(0);
    expect(producers).toHaveLength(2);
    producers[1].requests[0].ack([ack('a', 0, '1')]);
    expect(await next).toEqual([{ partition: 0, offset: '1' }]);
    // The old producer goes once its abandoned request ends.
    expect(producers[0].disconnect).not.toHaveBeenCalled();
    producers[0].requests[0].fail(new Error('request timed out'));
    await jest.advanceTimersByTimeAsync(0);
    expect(producers[0].disconnect).toHaveBeenCalled();
  });

  it('replaces the producer after a failed request, whose publishes are all rejected', async () => {
    const { kafka, producers } = fakeKafka();
    const producer = await IdempotentProducer.connect(kafka, settings);

    const failed = producer.publish('a', messages(0)).catch((error: unknown) => error);
    await settle();
    producers[0].requests[0].fail(Object.assign(new Error('connection closed'), { retriable: true }));

    expect(await failed).toMatchObject({ name: 'KafkaLogError', retriable: false });
    const next = producer.publish('a', messages(0));
    await settle();
    expect(producers).toHaveLength(2);
    expect(producers[0].disconnect).toHaveBeenCalled();
    producers[1].requests[0].ack([ack('a', 0, '0')]);
    expect(await next).toEqual([{ partition: 0, offset: '0' }]);
  });

  it('sends again, on the same producer, the partitions a request was answered without (their leader moved mid-request)', async () => {
    const { kafka, producers } = fakeKafka();
    const producer = await IdempotentProducer.connect(kafka, settings);

    const published = producer.publish('a', messages(0, 1, 1));
    await settle();
    // kafkajs resolves without partition 1: its leader was lost and the partition moved to partition 0's broker.
    producers[0].requests[0].ack([ack('a', 0, '5')]);
    await settle();
    const [, again] = producers[0].requests;
    expect(again.batch.topicMessages).toEqual([{ topic: 'a', messages: messages(0, 1, 1).slice(1) }]);
    again.ack([ack('a', 1, '9')]);

    expect(await published).toEqual([
      { partition: 0, offset: '5' },
      { partition: 1, offset: '9' },
      { partition: 1, offset: '10' },
    ]);
    expect(producers).toHaveLength(1);
  });

  it('lets kafkajs retry a request for as long as its publishes may wait, not the 5 of the client settings', async () => {
    const { kafka, producers } = fakeKafka();
    await IdempotentProducer.connect(kafka, { ...settings, timeoutMs: 30_000 });

    const { retries = 0, initialRetryTime = 0, maxRetryTime = 0 } = producers[0].config.retry ?? {};
    const backOffs = Array.from({ length: retries }, (_, i) => Math.min(initialRetryTime * 2 ** i, maxRetryTime));
    expect(backOffs.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(30_000);
    expect(maxRetryTime).toBeLessThanOrEqual(1_000);
  });

  it('times a publish from its call, also one that had to wait for its turn', async () => {
    jest.useFakeTimers();
    const { kafka, producers } = fakeKafka();
    const producer = await IdempotentProducer.connect(kafka, settings);
    const first = producer.publish('a', messages(0));
    await jest.advanceTimersByTimeAsync(600);
    const queued = producer.publish('a', messages(0)).catch((error: unknown) => error);

    await jest.advanceTimersByTimeAsync(399);
    producers[0].requests[0].ack([ack('a', 0, '0')]);
    expect(await first).toEqual([{ partition: 0, offset: '0' }]);
    await jest.advanceTimersByTimeAsync(0);
    // The waiting publish went out as soon as the first was answered; 1 s after its call, it gives up.
    expect(producers[0].requests).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(601);
    expect(await queued).toMatchObject({ retriable: true });
  });

  it('on close refuses the publishes not sent yet and waits for the request out', async () => {
    const { kafka, producers } = fakeKafka();
    const producer = await IdempotentProducer.connect(kafka, settings);
    const sent = producer.publish('a', messages(0));
    const waiting = producer.publish('a', messages(0)).catch((error: unknown) => error);
    await settle();

    const closed = producer.close();
    expect(await waiting).toBeInstanceOf(EventLogClosedError);
    producers[0].requests[0].ack([ack('a', 0, '4')]);
    await closed;

    expect(await sent).toEqual([{ partition: 0, offset: '4' }]);
    expect(producers[0].requests).toHaveLength(1);
    expect(producers[0].disconnect).toHaveBeenCalled();
    await expect(producer.publish('a', messages(0))).rejects.toBeInstanceOf(EventLogClosedError);
  });
});
