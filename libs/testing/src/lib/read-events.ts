import type { EventEnvelope } from '@prov/contracts';
import type { EventLog } from '@prov/event-log';

/**
 * Every event on a topic (from the given offsets per partition, else from
 * the start), ordered by event id, i.e. by creation time.
 */
export async function readEvents(
  log: EventLog,
  topic: string,
  from?: ReadonlyMap<number, string>,
): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (const { partition, latest } of await log.offsets(topic)) {
    const start = BigInt(from?.get(partition) ?? '0');
    const end = BigInt(latest);
    if (end <= start) continue;
    for (const record of await log.read(topic, partition, start.toString(), Number(end - start))) {
      events.push(JSON.parse(record.value.toString('utf8')) as EventEnvelope);
    }
  }
  return events.sort((a, b) => a.eventId.localeCompare(b.eventId));
}
