import { VIEW_NAMES, type ViewName } from '@prov/projections';
import type { StoreHoldings, ViewGeneration } from './lineage-store.port';

/** What a generation holds: the documents of each of its views, and the positions it has folded up to. */
export async function generationHoldings(
  generation: Pick<ViewGeneration, 'name' | 'count' | 'loadOffsets'>,
): Promise<NonNullable<StoreHoldings['active']>> {
  const [counts, offsets] = await Promise.all([
    Promise.all(VIEW_NAMES.map((view) => generation.count(view))),
    generation.loadOffsets(),
  ]);
  const documents = Object.fromEntries(VIEW_NAMES.map((view, i) => [view, counts[i]])) as Record<ViewName, number>;
  return { name: generation.name, documents, offsets };
}
