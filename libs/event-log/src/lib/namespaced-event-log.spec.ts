import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventLogContract } from './event-log.contract';
import { InvalidTopicError } from './event-log.errors';
import type { ConsumerHandle, EventLog, RecordBatch } from './event-log.port';
import { FileEventLog } from './file/file-event-log';
import { NamespacedEventLog } from './namespaced-event-log';
import { openEventLog } from './open-event-log';

const quiet = { onConsumerError: () => undefined };

describeEventLogContract('NamespacedEventLog over FileEventLog', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'namespaced-event-log-'));
  let inner = await FileEventLog.open(directory, quiet);
  let log = new NamespacedEventLog(inner, 'tenant-a.');
  return {
    log,
    reopen: async () => {
      await log.close();
      inner = await FileEventLog.open(directory, quiet);
      log = new NamespacedEventLog(inner, 'tenant-a.');
      return log;
    },
    dispose: async () => {
      await log.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

describe('NamespacedEventLog', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'namespaced-event-log-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('keeps each namespace to its own prefixed topics, and its callers to the plain names', async () => {
    const inner = await FileEventLog.open(directory, quiet);
    const a = new NamespacedEventLog(inner, 'a.');
    const b = new NamespacedEventLog(inner, 'b.');
    await a.ensureTopics([{ name: 'events', partitions: 1 }]);
    await b.ensureTopics([{ name: 'events', partitions: 1 }]);
    await a.publish('events', [{ key: 'k', value: Buffer.from('from a') }]);

    expect((await inner.read('a.events', 0, '0', 10)).map((r) => r.value.toString())).toEqual(['from a']);
    expect(await b.read('events', 0, '0', 10)).toEqual([]);
    const [record] = await a.read('events', 0, '0', 10);
    expect(record).toMatchObject({ topic: 'events', key: 'k' });

    const batches: RecordBatch[] = [];
    const consumer = await a.consume({
      groupId: 'g',
      topics: ['events'],
      onBatch: async (batch, handle) => {
        batches.push(batch);
        await handle.commit([{ topic: batch.topic, partition: batch.partition, offset: '1' }]);
      },
    });
    const deadline = Date.now() + 5000;
    while (batches.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await consumer.stop();
    expect(batches[0]).toMatchObject({ topic: 'events', records: [{ topic: 'events' }] });
    expect(await a.committedOffsets('g', 'events')).toEqual([{ topic: 'events', partition: 0, offset: '1' }]);
    expect(await inner.committedOffsets('g', 'a.events')).toEqual([{ topic: 'a.events', partition: 0, offset: '1' }]);
    await inner.close();
  });

  it("names a member's partitions by their plain topics, as the group gave them", async () => {
    const inner = await FileEventLog.open(directory, quiet);
    const given: ConsumerHandle = {
      commit: async () => undefined,
      stop: async () => undefined,
      assignment: () => ({ state: 'assigned', partitions: [{ topic: 'tenant-a.orders', partition: 2 }], since: 7 }),
    };
    const grouped: EventLog = Object.assign(Object.create(inner) as EventLog, { consume: async () => given });
    const handle = await new NamespacedEventLog(grouped, 'tenant-a.').consume({
      groupId: 'g',
      topics: ['orders'],
      onBatch: async () => undefined,
    });
    expect(handle.assignment?.()).toEqual({
      state: 'assigned',
      partitions: [{ topic: 'orders', partition: 2 }],
      since: 7,
    });
    await inner.close();
  });

  it('refuses a prefix Kafka could not name a topic with', async () => {
    const inner = await FileEventLog.open(directory, quiet);
    expect(() => new NamespacedEventLog(inner, 'a/b')).toThrow(InvalidTopicError);
    await inner.close();
  });

  it('is what openEventLog gives for settings with a topic prefix', async () => {
    const log = await openEventLog({ kind: 'file', directory, topicPrefix: 'x.', ...quiet });
    expect(log).toBeInstanceOf(NamespacedEventLog);
    await log.close();
  });
});
