import { digestOf } from '@prov/integrity';
import { PREDICTION_CONTENT_FIELDS, type PredictionContentField, type PredictionServing } from '@prov/projections';

/** What makes two records of one prediction id the same prediction: the fields the projector compares too. */
export { PREDICTION_CONTENT_FIELDS, type PredictionContentField };

/** A prediction's content as it is (or will be) on the log, its output named by digest. */
export interface PredictionContent extends PredictionServing {
  /** The digest (sha256 of canonical JSON) of `output` when it is recorded in the clear. */
  rawOutputDigest?: string;
  /** The digest a `sealedOutput` names: that of the value it holds. */
  sealedOutputDigest?: string;
}

/** The content of a published prediction and the batch that recorded it. */
export interface RecordedPredictionContent extends PredictionContent {
  batchId: string;
}

/** The batch-wide fields of a request. */
export interface BatchFacts {
  deploymentId: string;
  modelVersionId: string;
  artifactDigest: string;
}

/**
 * The content a requested prediction is recorded with. One about a data
 * subject has its output sealed, and sealing names the output's digest as
 * `outputDigest` when none was sent (see SubjectSealing).
 */
export function requestedContent(
  batch: BatchFacts,
  prediction: { inputDigest: string; outputDigest?: string; output?: unknown; dataSubject?: string },
): PredictionContent {
  const { deploymentId, modelVersionId, artifactDigest } = batch;
  const content: PredictionContent = {
    deploymentId,
    modelVersionId,
    artifactDigest,
    inputDigest: prediction.inputDigest,
  };
  const valueDigest = prediction.output === undefined ? undefined : digestOf(prediction.output);
  const sealed = prediction.dataSubject !== undefined && valueDigest !== undefined;
  const outputDigest = prediction.outputDigest ?? (sealed ? valueDigest : undefined);
  if (outputDigest !== undefined) content.outputDigest = outputDigest;
  if (valueDigest !== undefined) content[sealed ? 'sealedOutputDigest' : 'rawOutputDigest'] = valueDigest;
  return content;
}

/** The fields in which two contents of one prediction id differ (present in one only counts as differing). */
export function contentDifferences(earlier: PredictionContent, later: PredictionContent): PredictionContentField[] {
  return PREDICTION_CONTENT_FIELDS.filter((field) =>
    field === 'output' ? outputValueDigest(earlier) !== outputValueDigest(later) : earlier[field] !== later[field],
  );
}

/** A sealed output and one in the clear are the same output when they hold the same value. */
function outputValueDigest(content: PredictionContent): string | undefined {
  return content.sealedOutputDigest ?? content.rawOutputDigest;
}
