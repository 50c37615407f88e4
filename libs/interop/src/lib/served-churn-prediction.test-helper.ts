import type { ProvenanceEvent } from '@prov/contracts';
import { traceOfPrediction } from '@prov/lineage-queries';
import { InMemoryViews, ModelLineageDocument, projectEvents } from '@prov/projections';
import { churnUpstream } from '@prov/testing';

const MODEL = 'model:churn-classifier@3.1.0';
const DEPLOYMENT = 'deployment:churn-api';

/**
 * The churn upstream served by `deployment:churn-api`, which made one
 * prediction (`pred:a`), projected into in-memory views: its standard trace
 * as a viewer reads it and its model version's lineage document.
 */
export async function servedChurnPrediction() {
  const world = churnUpstream();
  const { events, ids } = world;
  const model = world.registerModel();
  const deployment = events.deploymentCreated('churn-api', MODEL, '2026-11-01T00:00:00.000Z');
  const batch = events.predictionBatch(DEPLOYMENT, MODEL, [['pred:a', '2026-11-01T06:00:00.000Z']]);
  const views = new InMemoryViews();
  for (const event of [...world.all, model, deployment, batch] as ProvenanceEvent[])
    await projectEvents([event], views);
  const trace = await traceOfPrediction(views, 'pred:a', { level: 'standard', revealSensitive: false });
  const lineage = (await views.get('model_lineage', [MODEL])).get(MODEL) as ModelLineageDocument;
  if (!trace || !lineage) throw new Error('the scenario did not project');
  return { world, ids, model, batch, trace, lineage, modelVersionId: MODEL, deploymentId: DEPLOYMENT };
}
