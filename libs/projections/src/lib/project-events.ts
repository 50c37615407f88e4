import type { ProvenanceEvent } from '@prov/contracts';
import { affectedDerived } from './affected-derived';
import { batchFactWrites } from './batch-fact-writes';
import { derivedWrites } from './derived-writes';
import type { ViewReader, ViewWriter } from './view-store.port';

/**
 * The three phases for one batch, as the projector runs them before it
 * commits the batch's offsets: the facts, then the derived documents that
 * read them. Safe to run again on the same events after a crash at any point.
 */
export async function projectEvents(events: readonly ProvenanceEvent[], views: ViewReader & ViewWriter): Promise<void> {
  await views.apply(batchFactWrites(events));
  await views.apply(await derivedWrites(await affectedDerived(events, views), views));
}
