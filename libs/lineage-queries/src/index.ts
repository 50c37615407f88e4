export { traceOfPrediction } from './lib/prediction-trace.query';
export type {
  IntegrityLink,
  PredictionTrace,
  TraceCompleteness,
  TraceLevel,
  TraceOptions,
  TracedDataset,
  TracedDeployment,
  TracedPrediction,
  TracedRun,
  TracedSlice,
} from './lib/prediction-trace.query';
export { isRedactedValue, redactSensitive } from './lib/redaction';
export {
  SEALABLE_PREDICTION_FIELDS,
  acceptOpenedSealedValues,
  isSealedValue,
  openSealedValues,
  sealingContext,
  sealingKeyIds,
} from './lib/sealed-values';
export type { SealablePredictionField, SealingKey } from './lib/sealed-values';
export type { RedactedValue } from './lib/redaction';
export { compareLineages, memberPath, resolveLineage } from './lib/lineage-comparison';
export type { LineageComparison, LineageDifference } from './lib/lineage-comparison';
export { lineageGraph } from './lib/lineage-graph.query';
export type { GraphDirection, GraphEdge, GraphNode, GraphQuery, LineageGraph } from './lib/lineage-graph.query';
export { MAX_PAGE_SIZE, impactOfDatasetVersion, impactOfSlice, impactPredictionPage } from './lib/slice-impact.query';
export type {
  DataImpact,
  DatasetVersionImpact,
  PredictionPage,
  PredictionTotals,
  SliceImpact,
} from './lib/slice-impact.query';
export { InvalidCursorError, InvalidGraphQueryError, InvalidPageSizeError } from './lib/lineage-query.errors';
export { modelCompleteness, modelLineageOf } from './lib/model-lineage.query';
export type { ModelCompleteness, ModelLineageOptions } from './lib/model-lineage.query';
export { TIMELINE_BUCKETS } from './lib/prediction-timeline';
export type { PredictionTimeline, TimelineBucket, TimelinePoint } from './lib/prediction-timeline';
export { timelineOfDatasetVersion, timelineOfSlice } from './lib/impact-timeline.query';
export type { DatasetVersionTimeline, SliceTimeline } from './lib/impact-timeline.query';
export { servingOfDeployment } from './lib/deployment-serving.query';
export type { DeploymentServing } from './lib/deployment-serving.query';
