import type { ViewName } from '@prov/projections';

export type IndexKey = Record<string, 1 | -1>;

/**
 * The secondary indexes of each view, one per query shape the services run
 * (point reads go by `_id`). Equality fields come first, then the range or
 * sort field. Multikey where the field holds ids (`sliceIds`, `datasetVersionIds`).
 */
export const VIEW_INDEXES: Readonly<Record<ViewName, readonly IndexKey[]>> = {
  nodes: [{ kind: 1 }],
  edges: [
    { from: 1, rel: 1 },
    { to: 1, rel: 1 },
  ],
  // A prediction is read by its id only: the store's cost per prediction is one document and one index entry.
  predictions: [],
  prediction_batches: [
    { modelVersionId: 1, recordedAt: 1 },
    // Impact timelines and prediction pages go through a model version's batches in id order.
    { modelVersionId: 1, _id: 1 },
    { deploymentId: 1, recordedAt: 1 },
  ],
  prediction_batch_ids: [],
  // Both hold only prediction ids that more than one event recorded.
  prediction_claims: [{ predictionId: 1 }],
  prediction_losses: [{ modelVersionId: 1, recordedAt: 1 }, { eventId: 1 }],
  model_lineage: [{ sliceIds: 1 }, { datasetVersionIds: 1 }, { runId: 1 }, { pipelineId: 1 }],
  slice_impact: [{ datasetVersionId: 1 }],
  alerts: [{ modelVersionId: 1 }, { type: 1, firstRecordedAt: 1 }],
  // Read by `_id` only, and only for ids that were admitted already.
  folded_events: [],
};
