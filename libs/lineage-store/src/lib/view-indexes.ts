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
  predictions: [{ modelVersionId: 1, at: 1 }, { deploymentId: 1, at: 1 }, { batchId: 1 }],
  prediction_batches: [
    { modelVersionId: 1, recordedAt: 1 },
    // Impact timelines page through a model version's batches in id order.
    { modelVersionId: 1, _id: 1 },
    { deploymentId: 1, recordedAt: 1 },
  ],
  model_lineage: [{ sliceIds: 1 }, { datasetVersionIds: 1 }, { runId: 1 }, { pipelineId: 1 }],
  slice_impact: [{ datasetVersionId: 1 }],
  alerts: [{ modelVersionId: 1 }, { type: 1, firstRecordedAt: 1 }],
};
