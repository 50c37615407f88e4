import type { EventEnvelope } from '@prov/contracts';
import { EventLog, KafkaEventLog, NamespacedEventLog } from '@prov/event-log';
import type { LineageStore } from '@prov/lineage-store';
import type { ViewName } from '@prov/projections';
import { readEvents } from '@prov/testing';
import type { DeliveryLedger, Reconciliation } from '../ledger/delivery-ledger';
import { note } from '../report/reliability-report';

/** The ids an event carries: a prediction batch's prediction ids, or any other event's subject. */
export function idsOfEvent(event: EventEnvelope): string[] {
  const predictions = (event.payload as { predictions?: Array<{ predictionId: string }> }).predictions;
  return predictions ? predictions.map((p) => p.predictionId) : [event.subject];
}

/** For each wanted id, how many events on the topic carry it (ids on no event are absent). */
export async function countOnLog(log: EventLog, topic: string, wanted: ReadonlySet<string>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const event of await readEvents(log, topic)) {
    for (const id of idsOfEvent(event)) if (wanted.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Which of the ids the active generation's view holds a document of. The
 * suite's database is its own, so the whole view is read at once: one scan,
 * where reading by id would cost one per batch of ids on FerretDB's SQLite.
 */
export async function heldByView(store: LineageStore, view: ViewName, ids: readonly string[]): Promise<Set<string>> {
  const active = await store.activeGeneration();
  if (!active) return new Set();
  const wanted = new Set(ids);
  const docs = await (await store.generation(active)).find(view, {});
  return new Set(docs.map((doc) => doc._id).filter((id) => wanted.has(id)));
}

/**
 * A cheap sign that the projector has folded the ids on the log (a point read,
 * such as a slice's impact total): reading a whole view on FerretDB's SQLite
 * takes seconds, so it is read once the sign is there.
 */
export type ProjectedSign = (onLog: ReadonlyMap<string, number>) => Promise<boolean>;

/**
 * Which of `sent` the view holds, once the projector has folded every id that
 * is on the log (or the last reading after `timeoutMs`, for the caller to
 * assert on).
 */
export async function viewOnceProjected(
  store: LineageStore,
  view: ViewName,
  sent: readonly string[],
  onLog: ReadonlyMap<string, number>,
  projected?: ProjectedSign,
  timeoutMs = 180_000,
): Promise<Set<string>> {
  const deadline = Date.now() + timeoutMs;
  while (projected && !(await projected(onLog)) && Date.now() < deadline) await sleep(1_000);
  for (;;) {
    const held = await heldByView(store, view, sent);
    if ([...onLog.keys()].every((id) => held.has(id)) || Date.now() > deadline) return held;
    // Not sooner: each reading scans the view, and the projector shares the store.
    await sleep(3_000);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The platform a ledger is read back from: its topics (under a prefix) on Kafka, and its store. */
export interface PlatformUnderTest {
  kafkaBrokers: string[];
  topicPrefix: string;
  store: LineageStore;
}

/** Reads back where the ledger's ids ended up, on the log and in the view, and reconciles them with what the client was told. */
export async function readBack(
  platform: PlatformUnderTest,
  ledger: DeliveryLedger,
  topic: string,
  view: ViewName,
  projected?: ProjectedSign,
): Promise<{ result: Reconciliation; onLog: Map<string, number> }> {
  const sent = ledger.allIds();
  note(`reading back ${sent.length} ids from ${topic} and the ${view} view`);
  const log = new NamespacedEventLog(
    await KafkaEventLog.connect({ clientId: 'reliability', brokers: platform.kafkaBrokers }),
    platform.topicPrefix,
  );
  try {
    const onLog = await countOnLog(log, topic, new Set(sent));
    note(`${onLog.size} of them on the log; waiting for the projector`);
    const viewIds = await viewOnceProjected(platform.store, view, sent, onLog, projected);
    note(`${viewIds.size} of them in the view`);
    return { result: ledger.reconcile({ logCounts: onLog, viewIds }), onLog };
  } finally {
    await log.close();
  }
}
