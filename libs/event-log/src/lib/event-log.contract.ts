import {
  ConsumerHandle,
  ConsumerOptions,
  EventLog,
  LogHoldings,
  LogRecord,
  OutgoingMessage,
  RecordBatch,
} from './event-log.port';
import { UnknownTopicError } from './event-log.errors';
import { partitionForKey } from './partitioner';

/** What an adapter's spec hands the contract for each test: a log, and how to reopen and dispose of it. */
export interface EventLogContractSubject {
  log: EventLog;
  /** Closes the log and opens it again on the same storage (omit when that means nothing). */
  reopen?: () => Promise<EventLog>;
  /** Closes whichever log is current and frees its storage. */
  dispose: () => Promise<void>;
}

/** Generous, for a real broker: joining a group takes seconds there. */
const TEST_TIMEOUT_MS = 90_000;
const WAIT_TIMEOUT_MS = 45_000;

/**
 * The semantics every EventLog adapter owes the platform (see the port), as
 * one Jest suite that each adapter's spec runs against itself. Each test
 * makes its own topics and groups with unique names, so it also runs against
 * a shared Kafka broker holding other data.
 */
export function describeEventLogContract(adapterName: string, open: () => Promise<EventLogContractSubject>): void {
  describe(`EventLog contract: ${adapterName}`, () => {
    let subject: EventLogContractSubject;
    let log: EventLog;
    const liveConsumers = new Set<ConsumerHandle>();

    beforeEach(async () => {
      subject = await open();
      log = subject.log;
    });

    afterEach(async () => {
      await Promise.all([...liveConsumers].map((consumer) => consumer.stop()));
      liveConsumers.clear();
      await subject.dispose();
    });

    const createTopic = async (label: string, partitions: number): Promise<string> => {
      const name = uniqueName(`contract-${label}`);
      await log.ensureTopics([{ name, partitions }]);
      return name;
    };

    /** Consumes until the test stops the consumer (or the test ends). */
    const consume = async (options: ConsumerOptions): Promise<ConsumerHandle> => {
      const consumer = await log.consume(options);
      liveConsumers.add(consumer);
      return {
        commit: (positions) => consumer.commit(positions),
        stop: async () => {
          liveConsumers.delete(consumer);
          await consumer.stop();
        },
      };
    };

    /** A consumer that keeps every batch and commits after each one. */
    const collect = async (topic: string, groupId: string, maxBatchSize?: number) => {
      const batches: RecordBatch[] = [];
      const consumer = await consume({
        groupId,
        topics: [topic],
        maxBatchSize,
        onBatch: async (batch, handle) => {
          batches.push(batch);
          await handle.commit([{ topic, partition: batch.partition, offset: nextOffset(batch) }]);
        },
      });
      return { consumer, batches, records: () => batches.flatMap((batch) => batch.records) };
    };

    const readAll = async (topic: string): Promise<LogRecord[]> => {
      const records: LogRecord[] = [];
      for (const { partition, earliest, latest } of await log.offsets(topic)) {
        let next = earliest;
        while (BigInt(next) < BigInt(latest)) {
          const batch = await log.read(topic, partition, next, 1_000);
          expect(batch.length).toBeGreaterThan(0);
          records.push(...batch);
          next = plus(batch[batch.length - 1].offset, 1);
        }
      }
      return records;
    };

    it(
      'ensureTopics creates missing topics and leaves existing ones, and their records, as they are',
      async () => {
        const name = await createTopic('ensure', 3);
        const [position] = await log.publish(name, [message('k', 'kept')]);
        const other = uniqueName('contract-ensure-other');

        await log.ensureTopics([
          { name, partitions: 3 },
          { name: other, partitions: 2 },
        ]);
        await log.ensureTopics([
          { name, partitions: 3 },
          { name: other, partitions: 2 },
        ]);

        expect((await log.offsets(name)).map(({ partition }) => partition)).toEqual([0, 1, 2]);
        expect((await log.offsets(other)).map(({ partition }) => partition)).toEqual([0, 1]);
        const [record] = await log.read(name, position.partition, position.offset, 1);
        expect(record.value.toString()).toBe('kept');
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'publish resolves with each message position, in input order, with dense offsets per partition',
      async () => {
        const topic = await createTopic('positions', 3);
        await log.publish(topic, [message('warm-up-1', 'x'), message('warm-up-2', 'y')]);
        const before = await log.offsets(topic);
        const messages = Array.from({ length: 30 }, (_, i) => message(`key-${i % 7}`, `value-${i}`));

        const positions = await log.publish(topic, messages);

        expect(positions).toHaveLength(messages.length);
        for (const { partition, latest } of before) {
          const offsets = positions.filter((p) => p.partition === partition).map((p) => p.offset);
          expect(offsets).toEqual(offsets.map((_, i) => plus(latest, i)));
        }
        const records = await readAll(topic);
        positions.forEach((position, i) => {
          const record = records.find((r) => r.partition === position.partition && r.offset === position.offset);
          expect(record && { key: record.key, value: record.value.toString() }).toEqual({
            key: messages[i].key,
            value: `value-${i}`,
          });
        });
        const after = await log.offsets(topic);
        expect(after.map(({ latest }) => latest)).toEqual(
          before.map(({ partition, latest }) =>
            plus(latest, positions.filter((p) => p.partition === partition).length),
          ),
        );
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'keeps all messages of a key on one partition, in publish order, across publish calls',
      async () => {
        const topic = await createTopic('key-order', 4);
        const keys = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
        const batch = (round: number) =>
          Array.from({ length: 24 }, (_, i) =>
            message(keys[i % keys.length], `${round * 4 + Math.floor(i / keys.length)}`),
          );

        await log.publish(topic, batch(0));
        await log.publish(topic, batch(1));

        const records = await readAll(topic);
        for (const key of keys) {
          const ofKey = records
            .filter((record) => record.key === key)
            .sort((a, b) => a.partition - b.partition || compareOffsets(a.offset, b.offset));
          expect(new Set(ofKey.map((record) => record.partition))).toEqual(new Set([partitionForKey(key, 4)]));
          expect(ofKey.map((record) => Number(record.value.toString()))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        }
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "chooses a message's partition as Kafka's default partitioner does",
      async () => {
        const topic = await createTopic('murmur2', 12);
        // Keys and murmur2 hashes of Kafka's UtilsTest.testMurmur2; partition = (hash & 0x7fffffff) % 12.
        const vectors: Array<[key: string, hash: number, partition: number]> = [
          ['21', -973932308, 0],
          ['foobar', -790332482, 6],
          ['a-little-bit-long-string', -985981536, 8],
          ['a-little-bit-longer-string', -1486304829, 11],
          ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971, 5],
          ['abc', 479470107, 3],
        ];
        const randomKeys = Array.from({ length: 40 }, (_, i) => `subject-${i}-${Math.random().toString(36).slice(2)}`);

        const positions = await log.publish(topic, [
          ...vectors.map(([key]) => message(key, key)),
          ...randomKeys.map((key) => message(key, key)),
        ]);

        expect(vectors.map(([, hash]) => (hash & 0x7fffffff) % 12)).toEqual(
          vectors.map(([, , partition]) => partition),
        );
        expect(positions.slice(0, vectors.length).map((p) => p.partition)).toEqual(vectors.map(([, , p]) => p));
        expect(positions.slice(vectors.length).map((p) => p.partition)).toEqual(
          randomKeys.map((key) => partitionForKey(key, 12)),
        );
        const [foobar] = await log.read(topic, 6, positions[1].offset, 1);
        expect(foobar.key).toBe('foobar');
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'round-trips keys, headers and binary values byte for byte',
      async () => {
        const topic = await createTopic('binary', 1);
        const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        const headers = { 'content-type': 'application/octet-stream', 'x-ünïcode': 'välue ✓ 模型', empty: '' };
        const startedAt = Date.now();

        const [first, second, third] = await log.publish(topic, [
          { key: 'dsv:sha256:ab/ünïcode ✓', value: everyByte, headers },
          { key: 'no-headers', value: Buffer.alloc(0) },
          { key: 'large', value: Buffer.alloc(300_000, 7) },
        ]);

        const records = await log.read(topic, 0, first.offset, 3);
        expect(records.map((r) => r.offset)).toEqual([first.offset, second.offset, third.offset]);
        expect(records[0]).toMatchObject({ topic, partition: 0, key: 'dsv:sha256:ab/ünïcode ✓', headers });
        expect(Buffer.compare(records[0].value, everyByte)).toBe(0);
        expect(records[1]).toMatchObject({ key: 'no-headers', headers: {} });
        expect(records[1].value.length).toBe(0);
        expect(Buffer.compare(records[2].value, Buffer.alloc(300_000, 7))).toBe(0);
        for (const record of records) {
          expect(Buffer.isBuffer(record.value)).toBe(true);
          expect(Math.abs(record.timestamp - startedAt)).toBeLessThan(5 * 60_000);
        }
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'read returns at most max records from the given offset, and none from the end',
      async () => {
        const topic = await createTopic('read', 1);
        const positions = await log.publish(
          topic,
          Array.from({ length: 10 }, (_, i) => message('same-key', `v${i}`)),
        );
        const base = positions[0].offset;

        const middle = await log.read(topic, 0, plus(base, 3), 4);
        const tail = await log.read(topic, 0, plus(base, 8), 100);
        const [{ latest }] = await log.offsets(topic);
        const atEnd = await log.read(topic, 0, latest, 10);

        expect(middle.map((r) => [r.offset, r.value.toString()])).toEqual(
          [3, 4, 5, 6].map((i) => [plus(base, i), `v${i}`]),
        );
        expect(tail.map((r) => r.value.toString())).toEqual(['v8', 'v9']);
        expect(latest).toBe(plus(base, 10));
        expect(atEnd).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'offsets gives the earliest and the next offset of every partition',
      async () => {
        const topic = await createTopic('offsets', 2);
        const empty = await log.offsets(topic);
        const onZero = keysOnPartition(0, 2, 3);
        const onOne = keysOnPartition(1, 2, 5);

        await log.publish(
          topic,
          [...onZero, ...onOne].map((key) => message(key, key)),
        );

        expect(empty).toEqual([
          { partition: 0, earliest: '0', latest: '0' },
          { partition: 1, earliest: '0', latest: '0' },
        ]);
        expect(await log.offsets(topic)).toEqual([
          { partition: 0, earliest: '0', latest: '3' },
          { partition: 1, earliest: '0', latest: '5' },
        ]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'publishing no messages is a no-op',
      async () => {
        const topic = await createTopic('empty-publish', 2);
        await log.publish(topic, [message('a', '1')]);
        const before = await log.offsets(topic);

        expect(await log.publish(topic, [])).toEqual([]);

        expect(await log.offsets(topic)).toEqual(before);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'holdings count the records of each topic asked about, in the order asked, and refuse a topic that does not exist',
      async () => {
        const topic = await createTopic('holdings', 3);
        const other = await createTopic('holdings-other', 1);
        const counts = ({ topics }: LogHoldings) =>
          topics.map(({ topic, partitions, records }) => ({ topic, partitions, records }));
        const before = await log.holdings([topic, other]);
        expect(counts(before)).toEqual([
          { topic, partitions: 3, records: 0 },
          { topic: other, partitions: 1, records: 0 },
        ]);

        await log.publish(
          topic,
          Array.from({ length: 25 }, (_, i) => message(`key-${i}`, `value-${i}`)),
        );
        await log.publish(other, [message('k', 'v')]);
        await log.publish(topic, [message('key-0', 'one more')]);
        const after = await log.holdings([other, topic]);

        expect(after.kind).toBe(before.kind);
        expect(counts(after)).toEqual([
          { topic: other, partitions: 1, records: 1 },
          { topic, partitions: 3, records: 26 },
        ]);
        // An adapter that cannot tell the bytes says so for every topic; one that can counts the records' bytes.
        const bytes = (held: LogHoldings, name: string) => held.topics.find((t) => t.topic === name)?.bytesOnDisk;
        for (const name of [topic, other]) {
          if (bytes(before, name) === null) expect(bytes(after, name)).toBeNull();
          else expect(bytes(after, name)).toBeGreaterThan(bytes(before, name) as number);
        }
        await expect(log.holdings([topic, uniqueName('contract-missing')])).rejects.toBeInstanceOf(UnknownTopicError);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'a group without a commit reads every record from the earliest offset, in batches of at most maxBatchSize, then new ones',
      async () => {
        const topic = await createTopic('from-earliest', 3);
        const earlier = await log.publish(
          topic,
          Array.from({ length: 25 }, (_, i) => message(`key-${i}`, `early-${i}`)),
        );

        const { batches, records } = await collect(topic, uniqueName('contract-group'), 4);
        await waitUntil('the records published before joining arrive', () => records().length >= 25);
        const later = await log.publish(
          topic,
          Array.from({ length: 5 }, (_, i) => message(`key-${i}`, `late-${i}`)),
        );
        await waitUntil('the records published after joining arrive', () => records().length >= 30);

        expect(positionsOf(records())).toEqual(positionsOf([...earlier, ...later]));
        for (const batch of batches) {
          expect(batch.records.length).toBeGreaterThan(0);
          expect(batch.records.length).toBeLessThanOrEqual(4);
          expect(batch.records.every((r) => r.topic === topic && r.partition === batch.partition)).toBe(true);
          const first = batch.records[0].offset;
          expect(batch.records.map((r) => r.offset)).toEqual(batch.records.map((_, i) => plus(first, i)));
        }
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "a group's next consumer resumes at the committed offset, receiving again what was handled but not committed",
      async () => {
        const topic = await createTopic('resume', 1);
        const positions = await log.publish(
          topic,
          Array.from({ length: 10 }, (_, i) => message('k', `v${i}`)),
        );
        const base = positions[0].offset;
        const groupId = uniqueName('contract-resume');
        const committed = plus(base, 6);
        const seenByFirst: LogRecord[] = [];
        const first = await consume({
          groupId,
          topics: [topic],
          onBatch: async (batch, handle) => {
            seenByFirst.push(...batch.records);
            // Handles everything but commits no further than offset base+6.
            const next = nextOffset(batch);
            await handle.commit([
              { topic, partition: 0, offset: compareOffsets(next, committed) < 0 ? next : committed },
            ]);
          },
        });
        await waitUntil('the first consumer has handled all ten records', () => seenByFirst.length >= 10);
        await first.stop();

        expect(await log.committedOffsets(groupId, topic)).toEqual([{ topic, partition: 0, offset: committed }]);
        const second = await collect(topic, groupId);
        await waitUntil('the second consumer reaches the end', () =>
          second.records().some((r) => r.offset === plus(base, 9)),
        );

        expect(second.records().map((r) => r.value.toString())).toEqual(['v6', 'v7', 'v8', 'v9']);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "a group's members share a topic's partitions, while one member reads every partition of an exclusive topic",
      async () => {
        const exclusive = await createTopic('exclusive', 3);
        const shared = await createTopic('shared', 4);
        const groupId = uniqueName('contract-exclusive');
        const readBy = new Map<string, Set<string>>();
        let delivered = 0;
        const member = (name: string) =>
          consume({
            groupId,
            topics: [exclusive, shared],
            exclusiveTopics: [exclusive],
            onBatch: async (batch, handle) => {
              const key = `${batch.topic}|${batch.partition}`;
              readBy.set(key, (readBy.get(key) ?? new Set()).add(name));
              delivered += batch.records.length;
              await handle.commit([{ topic: batch.topic, partition: batch.partition, offset: nextOffset(batch) }]);
            },
          });
        await member('a');
        await member('b');
        for (const [topic, partitions] of [
          [exclusive, 3],
          [shared, 4],
        ] as const) {
          for (let partition = 0; partition < partitions; partition++) {
            await log.publish(
              topic,
              keysOnPartition(partition, partitions, 2).map((key) => message(key, key)),
            );
          }
        }
        await waitUntil('every record is delivered', () => delivered >= 14);

        const readers = (topic: string, partitions: number) =>
          Array.from({ length: partitions }, (_, partition) => [...(readBy.get(`${topic}|${partition}`) ?? [])]);
        const exclusiveReaders = readers(exclusive, 3);
        expect(exclusiveReaders.every((names) => names.length === 1 && names[0] === exclusiveReaders[0][0])).toBe(true);
        const sharedReaders = readers(shared, 4);
        expect(sharedReaders.every((names) => names.length === 1)).toBe(true);
        expect(new Set(sharedReaders.flat())).toEqual(new Set(['a', 'b']));
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'two groups each receive every record',
      async () => {
        const topic = await createTopic('two-groups', 2);
        const positions = await log.publish(
          topic,
          Array.from({ length: 12 }, (_, i) => message(`key-${i}`, `v${i}`)),
        );

        const one = await collect(topic, uniqueName('contract-group-one'));
        const two = await collect(topic, uniqueName('contract-group-two'));
        await waitUntil(
          'both groups have every record',
          () => one.records().length >= 12 && two.records().length >= 12,
        );

        expect(positionsOf(one.records())).toEqual(positionsOf(positions));
        expect(positionsOf(two.records())).toEqual(positionsOf(positions));
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'committedOffsets lists the positions a group committed, by partition, and nothing for other groups',
      async () => {
        const topic = await createTopic('committed', 3);
        await log.publish(
          topic,
          [...keysOnPartition(0, 3, 3), ...keysOnPartition(2, 3, 2)].map((k) => message(k, k)),
        );
        const groupId = uniqueName('contract-committed');
        let delivered = 0;
        const consumer = await consume({
          groupId,
          topics: [topic],
          onBatch: async (batch) => {
            delivered += batch.records.length;
          },
        });
        await waitUntil('the consumer has joined and received the records', () => delivered >= 5);
        expect(await log.committedOffsets(groupId, topic)).toEqual([]);

        await consumer.commit([
          { topic, partition: 2, offset: '1' },
          { topic, partition: 0, offset: '3' },
        ]);

        expect(await log.committedOffsets(groupId, topic)).toEqual([
          { topic, partition: 0, offset: '3' },
          { topic, partition: 2, offset: '1' },
        ]);
        expect(await log.committedOffsets(uniqueName('contract-other-group'), topic)).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'stop lets the batch in progress finish, and commit, before it resolves',
      async () => {
        const topic = await createTopic('stop', 1);
        await log.publish(topic, [message('k', 'a'), message('k', 'b'), message('k', 'c')]);
        const groupId = uniqueName('contract-stop');
        const events: string[] = [];
        const started = deferred();
        const release = deferred();
        const consumer = await consume({
          groupId,
          topics: [topic],
          onBatch: async (batch, handle) => {
            started.resolve();
            await release.promise;
            await handle.commit([{ topic, partition: 0, offset: nextOffset(batch) }]);
            events.push('batch finished');
          },
        });
        await started.promise;

        const stopped = consumer.stop().then(() => events.push('stopped'));
        // Give a wrong stop every chance to resolve before the batch ends.
        await new Promise((resolve) => setTimeout(resolve, 100));
        release.resolve();
        await stopped;

        expect(events).toEqual(['batch finished', 'stopped']);
        const [committed] = await log.committedOffsets(groupId, topic);
        expect(BigInt(committed.offset)).toBeGreaterThan(0n);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'a batch whose handler throws is delivered again, so no record is lost',
      async () => {
        const topic = await createTopic('redelivery', 1);
        const positions = await log.publish(
          topic,
          Array.from({ length: 6 }, (_, i) => message('k', `v${i}`)),
        );
        let failedBatch: string[] | undefined;
        const handled: string[] = [];
        await consume({
          groupId: uniqueName('contract-redelivery'),
          topics: [topic],
          onBatch: async (batch, handle) => {
            if (!failedBatch) {
              failedBatch = batch.records.map((r) => r.offset);
              throw new Error('the handler fails once, on purpose');
            }
            handled.push(...batch.records.map((r) => r.offset));
            await handle.commit([{ topic, partition: 0, offset: nextOffset(batch) }]);
          },
        });

        await waitUntil('every record has been handled', () => positions.every((p) => handled.includes(p.offset)));

        expect(failedBatch?.length).toBeGreaterThan(0);
        expect(handled).toEqual(expect.arrayContaining(failedBatch ?? []));
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'records, offsets and commits survive closing and reopening the log',
      async () => {
        if (!subject.reopen) return; // an adapter without local storage to reopen
        const topic = await createTopic('durable', 2);
        const groupId = uniqueName('contract-durable');
        await log.publish(
          topic,
          Array.from({ length: 10 }, (_, i) => ({ ...message(`key-${i}`, `v${i}`), headers: { n: String(i) } })),
        );
        const before = await readAll(topic);
        const { consumer, records } = await collect(topic, groupId);
        await waitUntil('the group has handled every record', () => records().length >= 10);
        await consumer.stop();
        const committed = await log.committedOffsets(groupId, topic);
        const offsets = await log.offsets(topic);

        log = await subject.reopen();

        expect(await readAll(topic)).toEqual(before);
        expect(await log.offsets(topic)).toEqual(offsets);
        expect(await log.committedOffsets(groupId, topic)).toEqual(committed);
        const [next] = await log.publish(topic, [message('key-0', 'after reopen')]);
        expect(next.offset).toBe(offsets[next.partition].latest);
      },
      TEST_TIMEOUT_MS,
    );
  });
}

function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
}

function message(key: string, value: string): OutgoingMessage {
  return { key, value: Buffer.from(value) };
}

/** Offsets are 64-bit decimal strings: compute on them as BigInt. */
function plus(offset: string, n: number): string {
  return (BigInt(offset) + BigInt(n)).toString();
}

function compareOffsets(a: string, b: string): number {
  return BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
}

function nextOffset(batch: RecordBatch): string {
  return plus(batch.records[batch.records.length - 1].offset, 1);
}

function positionsOf(records: Array<{ partition: number; offset: string }>): string[] {
  return records.map(({ partition, offset }) => `${partition}:${offset}`).sort();
}

/** `count` distinct keys that Kafka's partitioner puts on `partition`. */
function keysOnPartition(partition: number, partitions: number, count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) {
    if (partitionForKey(`key-${i}`, partitions) === partition) keys.push(`key-${i}`);
  }
  return keys;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

async function waitUntil(what: string, condition: () => boolean, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
