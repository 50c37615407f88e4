export * from './lib/view-store.port';
export { InMemoryViews } from './lib/in-memory-views';
export {
  compareScalars,
  indexedValues,
  isScalar,
  selectDocuments,
  setAt,
  sumGroups,
  valueAt,
} from './lib/view-query.semantics';
export type { EventRef } from './lib/event-ref';
export { UnsafeEventIdError } from './lib/projection.errors';
export { NODE_KINDS, EDGE_RELATIONS, edgeId } from './lib/lineage-graph';
export type { NodeKind, EdgeRelation, NodeDocument, EdgeDocument, Definition } from './lib/lineage-graph';
export type { DatasetNode, DatasetVersionNode, SliceNode, SliceFlag } from './lib/dataset.projection';
export type { PipelineNode } from './lib/pipeline.projection';
export type { TrainingRunNode, RunCompletion } from './lib/training-run.projection';
export type { EvaluationNode } from './lib/evaluation.projection';
export type { ModelVersionNode, ModelDecision, ModelRevocation } from './lib/model-version.projection';
export type { DeploymentNode, DeploymentRevision } from './lib/deployment.projection';
export type {
  PredictionDocument,
  PredictionBatchDocument,
  PredictionBatchIdsDocument,
  PredictionClaimDocument,
  PredictionClaimsDocument,
  PredictionLossDocument,
  ContestedPredictionDocument,
  BatchFacts,
} from './lib/prediction.projection';
export { isContested, predictionRecords } from './lib/prediction.projection';
export { readRecordedPredictions, readClaims } from './lib/recorded-predictions.reader';
export type { RecordedPrediction } from './lib/recorded-predictions.reader';
export { servedTotals, firstServedBatch, lostFrom } from './lib/served-predictions';
export type { ServedTotal, ServedWhere, ServedField, Losses } from './lib/served-predictions';
export {
  CONFLICTING_PREDICTION,
  PREDICTION_CONTENT_FIELDS,
  differingFields,
  outputIdentity,
  predictionConflict,
} from './lib/prediction-conflicts';
export type {
  PredictionContent,
  PredictionContentField,
  PredictionServing,
  ConflictingPredictionDetails,
} from './lib/prediction-conflicts';
export { recordPredictions } from './lib/record-predictions';
export { settle, isSettled } from './lib/settlement';
export type { Settlement } from './lib/settlement';
export type { HourCount } from './lib/prediction-hours';
export type * from './lib/model-lineage.document';
export type { SliceImpactDocument, ServingWindow } from './lib/slice-impact.assembly';
export {
  PREDICTION_ALERT_TYPES,
  LINEAGE_ALERT_TYPES,
  RECORD_ALERT_TYPES,
  DEPLOYMENT_ALERT_TYPES,
} from './lib/lineage-alerts';
export type { AlertDocument, AlertType } from './lib/lineage-alerts';
export { servingWindows } from './lib/slice-impact.assembly';
export { assessCompleteness } from './lib/lineage-completeness';
export { factWrites } from './lib/fact-writes';
export { batchFactWrites } from './lib/batch-fact-writes';
export { affectedDerived } from './lib/affected-derived';
export type { AffectedDerived } from './lib/affected-derived';
export { derivedWrites } from './lib/derived-writes';
export { projectEvents, foldFacts, applyUntilSettled } from './lib/project-events';
export { openLineageDatasetId, openLineageJobId } from './lib/openlineage-ids';
export type { OpenLineageFact, OpenLineageNode } from './lib/openlineage-run.projection';
export { DEAD_LETTER_HEAD_BYTES, deadLetterDocumentOf } from './lib/dead-letter.projection';
export type { DeadLetterDocument } from './lib/dead-letter.projection';
