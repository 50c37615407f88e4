import type { ViewName, ViewQuery } from '@prov/projections';

/** An `in` over at most this many values is asked as one equality query per value (more: one `$in` query). */
export const SPLIT_IN_UP_TO = 16;
/** Parts of a split query asked at once. */
const SPLIT_IN_FLIGHT = 2;

/**
 * Scalar fields of the views that grow with re-sent predictions, by which
 * they are selected: an equality on one matches a document once, so the
 * documents (and counts) of one query per value add up to those of the `in`.
 * Only these: FerretDB on SQLite pushes down no equality but on `_id`, so
 * there each part scans the view as the `in` did; for losses and claims,
 * empty unless ids were re-sent, that costs nothing, while batches (a
 * gateway's impact reads) were measured slower, and the gateway's memory
 * climbed with its queue under a steady load.
 */
const SCALAR_FIELDS: Partial<Record<ViewName, ReadonlySet<string>>> = {
  prediction_losses: new Set(['modelVersionId', 'deploymentId', 'artifactDigest', 'eventId', 'predictionId']),
  prediction_claims: new Set(['predictionId']),
};

/**
 * FerretDB pushes an equality filter down to its backend, where an index
 * serves it, but never an `$in`: an `in` over a few model versions (what
 * alerts and served totals ask after a re-sent batch) scanned every loss
 * and batch document of the generation. So such a query is split into one
 * `where` per value of the first `in` on a scalar field of a prediction
 * view, its other conditions kept; undefined when it is not to be split.
 */
export function equalitySplit(view: ViewName, where: ViewQuery['where']): Array<ViewQuery['where']> | undefined {
  const scalars = SCALAR_FIELDS[view];
  if (!scalars || !where) return undefined;
  for (const [field, condition] of Object.entries(where)) {
    if (!scalars.has(field) || condition === null || typeof condition !== 'object' || !('in' in condition)) continue;
    const values = [...new Set(condition.in)];
    if (values.length < 2 || values.length > SPLIT_IN_UP_TO) return undefined;
    return values.map((value) => ({ ...where, [field]: value }));
  }
  return undefined;
}

/**
 * The parts' answers in order, at most SPLIT_IN_FLIGHT asked at a time: each
 * query in flight holds a pooled connection, and a few parallel splits (a
 * gateway's impact reads) would otherwise grow the driver's pool, and the
 * process's memory with it, by dozens of connections.
 */
export async function askInTurns<T, R>(parts: readonly T[], ask: (part: T) => Promise<R>): Promise<R[]> {
  const answers = new Array<R>(parts.length);
  let next = 0;
  const asker = async () => {
    while (next < parts.length) {
      const index = next++;
      answers[index] = await ask(parts[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SPLIT_IN_FLIGHT, parts.length) }, asker));
  return answers;
}
