import type { EventOf } from '@prov/contracts';
import type { EventLog } from '@prov/event-log';
import type { ProvenanceWorkload, WorkloadMessage } from './provenance-workload';

/** Messages per publish (about half a MiB of prediction batches) and publishes in flight. */
const PER_PUBLISH = 2;
const IN_FLIGHT = 4;

/** Publishes messages in order per topic, a few publishes in flight. */
export async function publishMessages(log: EventLog, messages: Iterable<WorkloadMessage>): Promise<number> {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let pending: WorkloadMessage[] = [];
  let count = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = pending;
    pending = [];
    // One topic per publish keeps each subject's events in order on its partition.
    for (const topic of new Set(chunk.map((m) => m.topic))) {
      const publish: Promise<void> = log
        .publish(
          topic,
          chunk.filter((m) => m.topic === topic).map(({ key, value }) => ({ key, value })),
        )
        .then(
          () => void inFlight.delete(publish),
          (error: unknown) => {
            failure ??= { error };
            inFlight.delete(publish);
          },
        );
      inFlight.add(publish);
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      if (failure) throw failure.error;
    }
  };
  for (const message of messages) {
    pending.push(message);
    count += 1;
    if (pending.length >= PER_PUBLISH) await flush();
  }
  await flush();
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return count;
}

/**
 * Batches sent again: every `every`-th batch (0, every, 2 * every, ...) is
 * published once more, `after` batches later, with the same predictions
 * (ProvenanceWorkload.resentBatch), as a retried scoring job would send it.
 */
export interface Resends {
  every: number;
  after: number;
}

/**
 * Publishes prediction batches `from` (inclusive) to `to` (exclusive),
 * handing each sealed event to `keep` (the bench keeps a sample for the raw
 * driver comparison) before it becomes bytes; with `resends`, also the
 * batches sent again, in their place in the stream (`keep` is told which).
 */
export function publishPredictionBatches(
  log: EventLog,
  workload: ProvenanceWorkload,
  from: number,
  to: number,
  keep: (event: EventOf<'prediction.batch.recorded'>, resent: boolean) => void = () => undefined,
  resends?: Resends,
): Promise<number> {
  function* batches(): Iterable<WorkloadMessage> {
    const due = new Map<number, Array<EventOf<'prediction.batch.recorded'>>>();
    const resend = function* (originals: Array<EventOf<'prediction.batch.recorded'>>): Iterable<WorkloadMessage> {
      for (const original of originals) {
        const event = workload.resentBatch(original);
        keep(event, true);
        yield workload.message(event);
      }
    };
    for (let batch = from; batch < to; batch++) {
      const event = workload.predictionBatch(batch);
      keep(event, false);
      yield workload.message(event);
      if (resends && batch % resends.every === 0) {
        const at = Math.min(batch + resends.after, to - 1);
        due.set(at, [...(due.get(at) ?? []), event]);
      }
      yield* resend(due.get(batch) ?? []);
      due.delete(batch);
    }
  }
  return publishMessages(log, batches());
}
