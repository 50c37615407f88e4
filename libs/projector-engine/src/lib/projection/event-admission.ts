import type { ProvenanceEvent } from '@prov/contracts';
import type { LogRecord } from '@prov/event-log';
import type { ViewDocument, ViewReader, ViewWriter } from '@prov/projections';

/** An event decoded from its record, with the digest of its content as published. */
export interface DigestedEvent {
  record: LogRecord;
  event: ProvenanceEvent;
  digest: string;
}

/** What `folded_events` holds: each event id a generation admitted, with the digest it was admitted with. */
export interface FoldedEventDocument extends ViewDocument {
  digest: string;
}

export interface Admission {
  /** Events to fold: new ones, and replays (copies of admitted ones, whose folding again changes nothing). */
  fold: Array<DigestedEvent & { replay: boolean }>;
  /** Events whose id was admitted with another digest: the first one stands, these are refused. */
  conflicting: DigestedEvent[];
}

/**
 * Admits a batch's events into a generation: an event id is admitted once,
 * with the digest of its content, and the store's unique `_id` decides
 * between replicas racing on one id. A later copy with the same digest is a
 * replay (a retrying producer, a redelivered batch, or anyone re-sending an
 * old event); it is folded again all the same, because a batch that crashed
 * between its admission and its fold must still be folded, and folding is
 * idempotent. A copy with another digest conflicts with what was admitted
 * and is refused. One insert per batch; existing documents are read only
 * for ids that were there already.
 */
export async function admitEvents(
  events: readonly DigestedEvent[],
  views: ViewReader & ViewWriter,
): Promise<Admission> {
  const first = new Map<string, DigestedEvent>();
  const copies: DigestedEvent[] = [];
  for (const candidate of events) {
    if (first.has(candidate.event.eventId)) copies.push(candidate);
    else first.set(candidate.event.eventId, candidate);
  }
  const docs: FoldedEventDocument[] = [...first.values()].map(({ event, digest }) => ({ _id: event.eventId, digest }));
  const existing = docs.length === 0 ? new Set<string>() : await views.insertNew('folded_events', docs);
  const admitted = new Map<string, string>(docs.map((doc) => [doc._id, doc.digest]));
  if (existing.size > 0) {
    for (const [id, doc] of await views.get('folded_events', [...existing])) {
      admitted.set(id, (doc as FoldedEventDocument).digest);
    }
  }

  const admission: Admission = { fold: [], conflicting: [] };
  for (const candidate of [...first.values(), ...copies]) {
    const id = candidate.event.eventId;
    if (admitted.get(id) !== candidate.digest) {
      admission.conflicting.push(candidate);
      continue;
    }
    admission.fold.push({ ...candidate, replay: existing.has(id) || first.get(id) !== candidate });
  }
  return admission;
}
