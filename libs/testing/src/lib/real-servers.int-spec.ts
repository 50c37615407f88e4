import { Kafka, logLevel } from 'kafkajs';
import { MongoClient, MongoServerError } from 'mongodb';
import { integrationEnv } from './integration-env';
import { uniqueName } from './unique-names';

/**
 * Smoke test of the servers every integration suite relies on: a real Kafka
 * broker (topics, producer acks, consumer groups) and a real MongoDB-wire
 * store (bulk writes, indexes, unique violations).
 */
const { kafkaBrokers, mongodbUri } = integrationEnv();

describe('real Kafka broker', () => {
  const kafka = new Kafka({ clientId: 'smoke', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });

  it('takes 10,000 events and gives them back, in order per partition, through a consumer group', async () => {
    const topic = uniqueName('smoke');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = Array.from({ length: 10_000 }, (_, i) => ({ key: `k${i % 50}`, value: JSON.stringify({ i }) }));
    for (let i = 0; i < sent.length; i += 1000) {
      await producer.send({ topic, acks: -1, messages: sent.slice(i, i + 1000) });
    }
    await producer.disconnect();

    const received = new Map<string, number[]>();
    let count = 0;
    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolveDone) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          const key = message.key?.toString() ?? '';
          const { i } = JSON.parse(message.value?.toString() ?? '{}') as { i: number };
          received.set(key, [...(received.get(key) ?? []), i]);
          if (++count === sent.length) resolveDone();
        },
      });
    });
    await done;
    await consumer.disconnect();

    expect(count).toBe(10_000);
    for (const [key, values] of received) {
      const expected = sent
        .map((m, i) => ({ key: m.key, i }))
        .filter((m) => m.key === key)
        .map((m) => m.i);
      expect(values).toEqual(expected);
    }
  });
});

describe('real MongoDB-wire store', () => {
  let client: MongoClient;
  beforeAll(async () => {
    client = await new MongoClient(mongodbUri, { serverSelectionTimeoutMS: 10_000 }).connect();
  });
  afterAll(async () => {
    await client?.close();
  });

  it('writes 10,000 documents in unordered bulk and reads them back by index', async () => {
    const db = client.db(uniqueName('smoke'));
    const collection = db.collection<{ _id: string; n: number; model: string }>('predictions');
    await collection.createIndex({ model: 1, n: 1 });
    const docs = Array.from({ length: 10_000 }, (_, n) => ({ _id: `pred:${n}`, n, model: `model:m@${n % 10}` }));
    const result = await collection.bulkWrite(
      docs.map((document) => ({ insertOne: { document } })),
      { ordered: false },
    );
    expect(result.insertedCount).toBe(10_000);
    expect(await collection.countDocuments()).toBe(10_000);
    expect(await collection.findOne({ _id: 'pred:4242' })).toEqual({ _id: 'pred:4242', n: 4242, model: 'model:m@2' });
    expect(await collection.countDocuments({ model: 'model:m@3' })).toBe(1000);
    await db.dropDatabase();
  });

  it('surfaces a unique index violation as a typed duplicate-key error', async () => {
    const db = client.db(uniqueName('smoke'));
    const collection = db.collection('model_lineage');
    await collection.createIndex({ artifactDigest: 1 }, { unique: true });
    await collection.insertOne({ artifactDigest: 'sha256:aa' });
    const error = await collection.insertOne({ artifactDigest: 'sha256:aa' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).code).toBe(11000);
    expect(await collection.countDocuments()).toBe(1);
    await db.dropDatabase();
  });
});
