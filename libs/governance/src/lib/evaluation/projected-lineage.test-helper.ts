import type { ProvenanceEvent } from '@prov/contracts';
import { InMemoryViews, projectEvents, type ModelLineageDocument } from '@prov/projections';

/**
 * The `model_lineage` document of a model version after projecting the
 * events one batch each, in order, as a stream delivers them: policies are
 * tested against what the projector really writes.
 */
export async function projectedLineage(
  modelVersionId: string,
  ...events: ProvenanceEvent[]
): Promise<ModelLineageDocument> {
  const views = new InMemoryViews();
  for (const event of events) await projectEvents([event], views);
  const lineage = (await views.get('model_lineage', [modelVersionId])).get(modelVersionId);
  if (!lineage) throw new Error(`no lineage of ${modelVersionId} was projected`);
  return lineage as ModelLineageDocument;
}
