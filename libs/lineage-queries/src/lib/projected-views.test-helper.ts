import type { ProvenanceEvent } from '@prov/contracts';
import { InMemoryViews, projectEvents } from '@prov/projections';

/** The views after projecting the events one batch each, in order, as a stream delivers them. */
export async function projected(...events: ProvenanceEvent[]): Promise<InMemoryViews> {
  const views = new InMemoryViews();
  for (const event of events) await projectEvents([event], views);
  return views;
}
