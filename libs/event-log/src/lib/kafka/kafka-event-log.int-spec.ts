import { Admin, Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import {
  EventLogClosedError,
  InvalidOffsetError,
  InvalidTopicError,
  MessageTooLargeError,
  OffsetOutOfRangeError,
  UnknownTopicError,
} from '../event-log.errors';
import { describeEventLogContract } from '../event-log.contract';
import { LogRecord, OutgoingMessage } from '../event-log.port';
import { partitionForKey } from '../partitioner';
import { BrokerProxy } from './broker-proxy';
import { KafkaEventLog } from './kafka-event-log';
import { KafkaEventLogOptions } from './kafka-event-log.options';

// Set by the integration global setup (libs/testing, whose helpers this lib's tests cannot import:
// libs/testing depends on this lib).
const kafkaBrokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
if (kafkaBrokers.length === 0)
  throw new Error('KAFKA_BROKERS is not set: run this suite with nx run event-log:integration');
/** Names no other run uses, carrying the run's id as libs/testing's uniqueName does. */
const uniqueName = (prefix: string) =>
  `${prefix}-${process.env['PROV_TEST_RUN_ID'] ?? 'run'}-${randomBytes(4).toString('hex')}`;
const connect = (options: Partial<KafkaEventLogOptions> = {}) =>
  KafkaEventLog.connect({ brokers: kafkaBrokers, clientId: 'event-log-int', ...options });
const message = (key: string, value: string): OutgoingMessage => ({ key, value: Buffer.from(value) });

describeEventLogContract('Kafka (real broker)', async () => {
  let current = await connect();
  return {
    log: current,
    // A new client on the same brokers: what survives is what Kafka keeps.
    reopen: async () => {
      await current.close();
      current = await connect();
      return current;
    },
    dispose: () => current.close(),
  };
});

describe('Kafka event log', () => {
  let log: KafkaEventLog;
  let admin: Admin;
  const newTopic = async (label: string, partitions: number) => {
    const name = uniqueName(`kafka-${label}`);
    await log.ensureTopics([{ name, partitions }]);
    return name;
  };
  /** A topic with settings of its own, made with kafkajs directly. */
  const topicWithConfig = async (label: string, config: Record<string, string>) => {
    const name = uniqueName(`kafka-${label}`);
    await admin.createTopics({
      topics: [
        {
          topic: name,
          numPartitions: 1,
          configEntries: Object.entries(config).map(([n, value]) => ({ name: n, value })),
        },
      ],
      waitForLeaders: true,
    });
    return name;
  };

  beforeAll(async () => {
    // These tests provoke Kafka errors on purpose: kafkajs need not log them.
    log = await connect({ logLevel: 'nothing' });
    admin = new Kafka({ brokers: kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await log.close();
    await admin.disconnect();
  });

  it('gives each of 1,000 messages across 6 partitions the offset a reader then finds there', async () => {
    const topic = await newTopic('positions', 6);
    await log.publish(topic, [message('k0', 'earlier')]);
    const messages = Array.from({ length: 1_000 }, (_, i) => message(`subject-${i % 97}`, `m${i}`));

    const positions = await log.publish(topic, messages);

    expect(positions.map((p) => p.partition)).toEqual(messages.map((m) => partitionForKey(m.key, 6)));
    for (let partition = 0; partition < 6; partition++) {
      const here = positions.flatMap((p, i) =>
        p.partition === partition ? [{ offset: p.offset, value: `m${i}` }] : [],
      );
      const records = await log.read(topic, partition, here[0].offset, 1_000);
      expect(records.map((r) => ({ offset: r.offset, value: r.value.toString() }))).toEqual(here);
    }
  });

  it('hands a consumer group every record at the position publish returned, also for concurrent publishes', async () => {
    const topic = await newTopic('concurrent', 3);
    // Publishes that arrive while a request is out go out together in the next one.
    const calls = await Promise.all(
      Array.from({ length: 60 }, (_, call) =>
        log.publish(
          topic,
          Array.from({ length: 1 + (call % 3) }, (_, i) => message(`key-${(call * 7 + i) % 11}`, `${call}.${i}`)),
        ),
      ),
    );
    const expected = new Map(
      calls.flatMap((positions, call) => positions.map((p, i) => [`${p.partition}:${p.offset}`, `${call}.${i}`])),
    );
    const delivered = new Map<string, string>();
    const consumer = await log.consume({
      groupId: uniqueName('kafka-concurrent'),
      topics: [topic],
      onBatch: async ({ records }) => {
        for (const r of records) delivered.set(`${r.partition}:${r.offset}`, r.value.toString());
      },
    });
    await waitUntil(() => delivered.size >= expected.size);
    // The only member of its group holds every partition.
    const held = consumer.assignment?.();
    expect(held?.state === 'assigned' && held.partitions.map((p) => `${p.topic}|${p.partition}`).sort()).toEqual(
      [0, 1, 2].map((partition) => `${topic}|${partition}`),
    );
    const stopping = Date.now();
    await consumer.stop();

    expect(delivered).toEqual(expected);
    expect(Date.now() - stopping).toBeLessThan(2_000); // an idle fetch is no longer a 5 s wait
  });

  it('fails to connect to a closed port with a retriable error, within seconds', async () => {
    const started = Date.now();

    await expect(connect({ brokers: ['127.0.0.1:1'], logLevel: 'nothing' })).rejects.toMatchObject({
      name: 'KafkaLogError',
      retriable: true,
    });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('rejects publishes a broker leaves unanswered, or cannot take, within publishTimeoutMs, and writes nothing', async () => {
    const topic = await newTopic('unanswered', 1);
    const proxy = await BrokerProxy.start(kafkaBrokers[0]);
    const throughProxy = await connect({ brokers: [proxy.address], publishTimeoutMs: 2_000, logLevel: 'nothing' });
    const rejectsInTime = async (value: string) => {
      const started = Date.now();
      await expect(throughProxy.publish(topic, [message('k', value)])).rejects.toMatchObject({ retriable: true });
      expect(Date.now() - started).toBeLessThan(4_000);
    };
    try {
      expect(await throughProxy.publish(topic, [message('k', 'before')])).toEqual([{ partition: 0, offset: '0' }]);

      proxy.silence(); // the broker stops answering
      await rejectsInTime('unanswered');
      proxy.refuse(); // the broker is down
      await rejectsInTime('refused');

      expect(await log.offsets(topic)).toEqual([{ partition: 0, earliest: '0', latest: '1' }]);
      proxy.forward(); // back: a new producer takes over
      expect(await throughProxy.publish(topic, [message('k', 'after')])).toEqual([{ partition: 0, offset: '1' }]);
    } finally {
      await throughProxy.close();
      await proxy.close();
    }
  });

  it('leaves an existing topic with another partition count as it is, and publishes by its real count', async () => {
    const topic = await newTopic('three', 3);

    await log.ensureTopics([{ name: topic, partitions: 6 }]);
    const keys = Array.from({ length: 30 }, (_, i) => `subject-${i}`);
    const positions = await log.publish(
      topic,
      keys.map((key) => message(key, key)),
    );

    expect((await log.offsets(topic)).map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(positions.map((p) => p.partition)).toEqual(keys.map((key) => partitionForKey(key, 3)));
  });

  it('refuses unknown topics and partitions, offsets out of range, invalid topics and use after close', async () => {
    const topic = await newTopic('errors', 1);
    const missing = uniqueName('kafka-missing');

    await expect(log.publish(missing, [message('k', 'v')])).rejects.toEqual(new UnknownTopicError(missing));
    await expect(log.offsets(missing)).rejects.toBeInstanceOf(UnknownTopicError);
    await expect(log.committedOffsets('any-group', missing)).rejects.toBeInstanceOf(UnknownTopicError);
    await expect(
      log.consume({ groupId: 'g', topics: [missing], onBatch: async () => undefined }),
    ).rejects.toBeInstanceOf(UnknownTopicError);
    await expect(log.read(topic, 1, '0', 1)).rejects.toEqual(new UnknownTopicError(topic, 1));
    await expect(log.read(topic, 0, '1', 1)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
    await expect(log.read(topic, 0, '-1', 1)).rejects.toBeInstanceOf(InvalidOffsetError);
    await expect(log.ensureTopics([{ name: 'bad/name', partitions: 1 }])).rejects.toBeInstanceOf(InvalidTopicError);
    await expect(log.ensureTopics([{ name: uniqueName('kafka-none'), partitions: 0 }])).rejects.toBeInstanceOf(
      InvalidTopicError,
    );
    const consumer = await log.consume({
      groupId: uniqueName('kafka-errors'),
      topics: [topic],
      onBatch: async () => undefined,
    });
    await expect(consumer.commit([{ topic, partition: 3, offset: '0' }])).rejects.toBeInstanceOf(UnknownTopicError);
    await consumer.stop();
    const closed = await connect();
    await closed.close();
    await expect(closed.publish(topic, [message('k', 'late')])).rejects.toBeInstanceOf(EventLogClosedError);
  });

  it('refuses a record batch larger than the topic accepts with MessageTooLargeError', async () => {
    const topic = await topicWithConfig('small', { 'max.message.bytes': '1024' });

    const publishing = log.publish(topic, [{ key: 'k', value: Buffer.alloc(4_096, 1) }]);

    await expect(publishing).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(publishing).rejects.toMatchObject({ maxBytes: 1024, bytes: 4_097, retriable: false });
  });

  it('replays 20,000 records of a partition in consecutive reads', async () => {
    const topic = await newTopic('replay', 1);
    const values = Array.from({ length: 20_000 }, (_, i) => `record ${i} `.padEnd(100, '.'));
    for (let start = 0; start < values.length; start += 5_000) {
      await log.publish(
        topic,
        values.slice(start, start + 5_000).map((value) => message('same-subject', value)),
      );
    }

    const replayed: LogRecord[] = [];
    while (replayed.length < values.length) {
      const batch = await log.read(topic, 0, String(replayed.length), 1_000);
      expect(batch.length).toBeGreaterThan(0);
      replayed.push(...batch);
    }

    expect(replayed.map((r) => r.offset)).toEqual(values.map((_, i) => String(i)));
    expect(replayed.map((r) => r.value.toString())).toEqual(values);
  });

  it('delivers a batch again after its handler failed with a TypeError, which kafkajs itself treats as fatal', async () => {
    const reported: Array<{ error: unknown; offset: string }> = [];
    const reporting = await connect({ onConsumerError: (error, { offset }) => reported.push({ error, offset }) });
    try {
      const topic = await newTopic('type-error', 1);
      await reporting.publish(topic, [message('k', 'a'), message('k', 'b'), message('k', 'c')]);
      const handled: string[] = [];
      let failed = false;
      await reporting.consume({
        groupId: uniqueName('kafka-type-error'),
        topics: [topic],
        onBatch: async ({ records }) => {
          if (!failed) {
            failed = true;
            (undefined as unknown as { crash(): void }).crash();
          }
          handled.push(...records.map((r) => r.value.toString()));
        },
      });

      await waitUntil(() => handled.length >= 3);

      expect(handled).toEqual(['a', 'b', 'c']);
      expect(reported).toEqual([{ error: expect.any(TypeError), offset: '0' }]);
    } finally {
      await reporting.close();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
