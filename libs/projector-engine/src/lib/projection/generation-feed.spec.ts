import type { ConsumerHandle, EventLog, MemberAssignment, PartitionPosition } from '@prov/event-log';
import { InMemoryLineageStore } from '@prov/lineage-store';
import type { DeadLetterPublisher } from '../dead-letters/dead-letter-publisher';
import { ProjectorMetrics } from '../metrics/projector-metrics';
import { GenerationFeed } from './generation-feed';
import { PROJECTED_TOPICS } from './projected-topics';

/** A log with 5 records on the first partition of the inference topic, whose consumer delivers nothing. */
function silentLog(
  committed: () => string | undefined = () => undefined,
  assignment?: () => MemberAssignment,
): EventLog {
  const handle: ConsumerHandle = {
    commit: async () => undefined,
    stop: async () => undefined,
    ...(assignment ? { assignment } : {}),
  };
  return {
    ensureTopics: async () => undefined,
    publish: async () => [],
    consume: async () => handle,
    committedOffsets: async (_group: string, topic: string): Promise<PartitionPosition[]> => {
      const offset = topic === PROJECTED_TOPICS[2] ? committed() : undefined;
      return offset === undefined ? [] : [{ topic, partition: 0, offset }];
    },
    offsets: async (topic: string) => [
      { partition: 0, earliest: '0', latest: topic === PROJECTED_TOPICS[2] ? '5' : '0' },
    ],
    holdings: async (topics: readonly string[]) => ({
      kind: 'file',
      topics: topics.map((topic) => ({ topic, partitions: 1, records: 0, bytesOnDisk: 0 })),
    }),
    read: async () => [],
    close: async () => undefined,
  };
}

async function feedOn(log: EventLog, deadLetters = {} as DeadLetterPublisher): Promise<GenerationFeed> {
  const feed = new GenerationFeed(log, {
    generation: await new InMemoryLineageStore().generation('live-1'),
    groupId: 'group',
    deadLetters,
    policy: {} as never,
    metrics: new ProjectorMetrics(),
    maxBatchSize: 10,
  });
  await feed.start();
  return feed;
}

describe('a generation feed that is not handed its partitions', () => {
  it('names a partition with records to fold, not delivered and not moving for the stall time', async () => {
    const feed = await feedOn(silentLog());
    const now = Date.now();
    expect(await feed.stalledPartitions(60_000, now)).toEqual([]);
    expect(await feed.stalledPartitions(60_000, now + 30_000)).toEqual([]);
    expect(await feed.stalledPartitions(60_000, now + 61_000)).toEqual([`${PROJECTED_TOPICS[2]}|0`]);
  });

  it('does not name a partition another replica folds: its committed offset moves', async () => {
    // Another member commits one more record each time it is looked at.
    let committed = 0;
    const feed = await feedOn(silentLog(() => String((committed += 1))));
    const now = Date.now();
    for (const later of [0, 61_000, 122_000]) expect(await feed.stalledPartitions(60_000, now + later)).toEqual([]);
  });

  describe('whose group says what it gave each member', () => {
    const partition = { topic: PROJECTED_TOPICS[2], partition: 0 };

    it('names only a partition the group gave it, counting from when it was given', async () => {
      const now = Date.now();
      let held: MemberAssignment = { state: 'assigned', partitions: [partition], since: now + 30_000 };
      const feed = await feedOn(silentLog(undefined, () => held));
      expect(await feed.stalledPartitions(60_000, now)).toEqual([]);
      expect(await feed.stalledPartitions(60_000, now + 61_000)).toEqual([]);
      expect(await feed.stalledPartitions(60_000, now + 91_000)).toEqual([`${PROJECTED_TOPICS[2]}|0`]);
      // Another member's partition is that member's to report.
      held = { state: 'assigned', partitions: [], since: now };
      expect(await feed.stalledPartitions(60_000, now + 200_000)).toEqual([]);
    });

    it('names none while the group rebalances, unless the rebalance lasts twice the stall time', async () => {
      const now = Date.now();
      const feed = await feedOn(silentLog(undefined, () => ({ state: 'rebalancing', since: now })));
      expect(await feed.stalledPartitions(60_000, now)).toEqual([]);
      expect(await feed.stalledPartitions(60_000, now + 61_000)).toEqual([]);
      expect(await feed.stalledPartitions(60_000, now + 121_000)).toEqual([`${PROJECTED_TOPICS[2]}|0`]);
    });
  });

  it('names none while it folds a batch, however long, and counts quiet time from when the fold ended', async () => {
    let fail = () => undefined as void;
    // The dead letter fails in the end: nothing is committed, so only the fold's end restarts the quiet time.
    const publishing = new Promise<void>((_, reject) => (fail = () => reject(new Error('the log is away'))));
    let folded: Promise<void> = Promise.resolve();
    const log: EventLog = {
      ...silentLog(),
      // One batch of the partition, whose refused record's dead letter takes as long as the test says.
      consume: async (options) => {
        const handle: ConsumerHandle = { commit: async () => undefined, stop: async () => undefined };
        const record = {
          topic: PROJECTED_TOPICS[2],
          partition: 0,
          offset: '0',
          key: 'k',
          value: Buffer.from('{'),
          headers: {},
          timestamp: 0,
        };
        folded = options.onBatch({ topic: PROJECTED_TOPICS[2], partition: 0, records: [record] }, handle);
        return handle;
      },
    };
    const feed = await feedOn(log, { publish: () => publishing } as unknown as DeadLetterPublisher);
    const now = Date.now();
    expect(await feed.stalledPartitions(60_000, now)).toEqual([]);
    expect(await feed.stalledPartitions(60_000, now + 600_000)).toEqual([]);
    fail();
    await folded.catch(() => undefined);
    const ended = Date.now();
    expect(await feed.stalledPartitions(60_000, ended + 30_000)).toEqual([]);
    expect(await feed.stalledPartitions(60_000, ended + 61_000)).toEqual([`${PROJECTED_TOPICS[2]}|0`]);
  });
});
