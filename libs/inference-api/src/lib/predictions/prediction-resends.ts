import type { ValidationProblem } from '@prov/contracts';
import {
  contentDifferences,
  type PredictionContent,
  type PredictionContentField,
  type RecordedPredictionContent,
} from './prediction-content';

/** A requested prediction whose id was recorded before with other content. */
export interface PredictionConflict extends ValidationProblem {
  /** `predictions[i]`: where the request holds it. */
  path: string;
  predictionId: string;
  fields: PredictionContentField[];
  /** The batch of the record that stands. */
  earlierBatchId: string;
}

/** A requested prediction recorded before with the same content. */
export interface RecordedAgain {
  predictionId: string;
  earlierBatchId: string;
}

/** A request's predictions, sorted by what was recorded before under their ids. */
export interface Resends {
  /** Indices in the request of the predictions never recorded. */
  fresh: number[];
  duplicates: RecordedAgain[];
  conflicts: PredictionConflict[];
}

/** Sorts requested predictions (in request order) against the earlier records of their ids. */
export function sortResends(
  requested: ReadonlyArray<{ predictionId: string; content: PredictionContent }>,
  earlier: ReadonlyMap<string, RecordedPredictionContent>,
): Resends {
  const resends: Resends = { fresh: [], duplicates: [], conflicts: [] };
  requested.forEach(({ predictionId, content }, index) => {
    const record = earlier.get(predictionId);
    if (!record) {
      resends.fresh.push(index);
      return;
    }
    const fields = contentDifferences(record, content);
    if (fields.length === 0) {
      resends.duplicates.push({ predictionId, earlierBatchId: record.batchId });
      return;
    }
    resends.conflicts.push({
      path: `predictions[${index}]`,
      problem: `${predictionId} was recorded in ${record.batchId} with another ${fields.join(', ')}; a recorded prediction does not change`,
      predictionId,
      fields,
      earlierBatchId: record.batchId,
    });
  });
  return resends;
}
