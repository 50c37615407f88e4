import type { ValidationProblem } from '@prov/contracts';

/** 64 KiB: a prediction's raw output is a label, scores, a short text; a larger artifact belongs behind its digest. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

/** The largest raw output a prediction may carry, in bytes of its JSON (PROV_MAX_OUTPUT_BYTES). */
export const MAX_OUTPUT_BYTES = Symbol('MaxOutputBytes');

/**
 * The predictions whose raw `output` takes more than `maxBytes` as JSON:
 * every output is kept in the log and replayed by every rebuild, so one
 * caller's large outputs would cost every later rebuild and the memory of
 * every service that reads them.
 */
export function outputsOver(predictions: ReadonlyArray<{ output?: unknown }>, maxBytes: number): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  predictions.forEach((prediction, i) => {
    if (prediction.output === undefined) return;
    const bytes = Buffer.byteLength(JSON.stringify(prediction.output), 'utf8');
    if (bytes > maxBytes) {
      problems.push({
        path: `predictions[${i}].output`,
        problem: `takes ${bytes} bytes as JSON, more than the ${maxBytes} allowed (PROV_MAX_OUTPUT_BYTES); send its digest (outputDigest) instead`,
      });
    }
  });
  return problems;
}
