import { ALL_TOPICS } from '@prov/contracts';
import type { EventLog, LogHoldings } from '@prov/event-log';
import type { ConsumedPosition, LineageStore, StoreHoldings } from '@prov/lineage-store';
import type { StatusAnswer } from '@prov/sdk';
import { PROJECTED_TOPICS } from '../projection/projected-topics';

/** The earliest and next-to-be-written offset of each partition of a topic, as the log gives them. */
export interface TopicEnds {
  topic: string;
  partitions: ReadonlyArray<{ partition: number; earliest: string; latest: string }>;
}

/**
 * The records of these topics a generation has still to fold: on each
 * partition, from its saved offset (or the earliest one, when it saved none
 * or the log no longer holds it) to the log's end.
 */
export function recordsToFold(ends: readonly TopicEnds[], saved: readonly ConsumedPosition[]): number {
  const folded = new Map(saved.map(({ topic, partition, offset }) => [`${topic}|${partition}`, BigInt(offset)]));
  let behind = 0n;
  for (const { topic, partitions } of ends) {
    for (const { partition, earliest, latest } of partitions) {
      const from = folded.get(`${topic}|${partition}`) ?? BigInt(earliest);
      const start = from > BigInt(earliest) ? from : BigInt(earliest);
      if (BigInt(latest) > start) behind += BigInt(latest) - start;
    }
  }
  return Number(behind);
}

/** The sum of what each part holds; null when one of them cannot tell. */
function total(values: ReadonlyArray<number | null>): number | null {
  return values.some((value) => value === null)
    ? null
    : values.reduce<number>((sum, value) => sum + (value as number), 0);
}

/** What the log and the store hold, with the records of the projected topics the active generation has still to fold. */
export function platformStatus(log: LogHoldings, store: StoreHoldings, ends: readonly TopicEnds[]): StatusAnswer {
  const active = store.active;
  return {
    eventLog: {
      kind: log.kind,
      records: log.topics.reduce((sum, topic) => sum + topic.records, 0),
      bytesOnDisk: total(log.topics.map((topic) => topic.bytesOnDisk)),
      topics: log.topics.map(({ topic, partitions, records, bytesOnDisk }) => ({
        topic,
        partitions,
        records,
        bytesOnDisk,
      })),
    },
    store: {
      kind: store.kind,
      bytesOnDisk: store.bytesOnDisk,
      activeGeneration: active && {
        name: active.name,
        documents: Object.values(active.documents).reduce((sum, count) => sum + count, 0),
        documentsByView: { ...active.documents },
        recordsToFold: recordsToFold(ends, active.offsets),
      },
    },
  };
}

/**
 * Asks the log and the store what they hold. The store is asked first, so
 * that the log's ends are read after the offsets they are compared with: a
 * generation folding meanwhile can only make the records to fold look more.
 */
export async function readPlatformStatus(log: EventLog, store: LineageStore): Promise<StatusAnswer> {
  const held = await store.holdings();
  const [logHeld, ends] = await Promise.all([
    log.holdings(ALL_TOPICS),
    Promise.all(PROJECTED_TOPICS.map(async (topic) => ({ topic, partitions: await log.offsets(topic) }))),
  ]);
  return platformStatus(logHeld, held, ends);
}
