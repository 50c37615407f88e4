import { randomUUID } from 'node:crypto';
import { describeEventLogContract } from '../event-log.contract';
import { KafkaEventLog } from './kafka-event-log';

// Set by the integration global setup (libs/testing), which provides the real broker.
const kafkaBrokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
const uniqueName = (prefix: string) => `${prefix}-${randomUUID()}`;
const connect = () => KafkaEventLog.connect({ brokers: kafkaBrokers, clientId: 'event-log-int' });

if (kafkaBrokers.length === 0)
  throw new Error('KAFKA_BROKERS is not set: run this suite with nx run event-log:integration');

describeEventLogContract('Kafka (real broker)', async () => {
  let current = await connect();
  return {
    log: current,
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
  beforeAll(async () => {
    log = await connect();
  });
  afterAll(() => log.close());

  it('gives each message of a batch across 6 partitions the offset a reader then finds', async () => {
    const topic = uniqueName('positions');
    await log.ensureTopics([{ name: topic, partitions: 6 }]);
    const messages = Array.from({ length: 1000 }, (_, i) => ({ key: `k${i % 37}`, value: Buffer.from(`m${i}`) }));
    const positions = await log.publish(topic, messages);
    expect(positions).toHaveLength(1000);
    for (const partition of new Set(positions.map((p) => p.partition))) {
      const here = positions.map((p, i) => ({ ...p, i })).filter((p) => p.partition === partition);
      const records = await log.read(topic, partition, '0', 1000);
      expect(records.map((r) => [r.offset, r.value.toString()])).toEqual(here.map((p) => [p.offset, `m${p.i}`]));
    }
  });

  it('fails to connect to an unreachable broker with a retriable error', async () => {
    await expect(KafkaEventLog.connect({ brokers: ['127.0.0.1:1'] })).rejects.toMatchObject({ retriable: true });
  });

  it('refuses to publish once closed', async () => {
    const closed = await connect();
    await closed.close();
    await expect(closed.publish('any', [{ key: 'k', value: Buffer.from('late') }])).rejects.toThrow(/closed/);
  });
});
