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
 * Publishes prediction batches `from` (inclusive) to `to` (exclusive),
 * handing each sealed event to `keep` (the bench keeps a sample for the raw
 * driver comparison) before it becomes bytes.
 */
export function publishPredictionBatches(
  log: EventLog,
  workload: ProvenanceWorkload,
  from: number,
  to: number,
  keep: (event: EventOf<'prediction.batch.recorded'>) => void = () => undefined,
): Promise<number> {
  function* batches(): Iterable<WorkloadMessage> {
    for (let batch = from; batch < to; batch++) {
      const event = workload.predictionBatch(batch);
      keep(event);
      yield workload.message(event);
    }
  }
  return publishMessages(log, batches());
}
