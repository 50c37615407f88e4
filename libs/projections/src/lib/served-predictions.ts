import type { PredictionBatchDocument } from './prediction.projection';
import type { FieldPath, Scalar, ViewQuery, ViewReader } from './view-store.port';

/** Fields that batch documents and loss documents share, by which counts can be selected and grouped. */
export type ServedField = 'modelVersionId' | 'deploymentId' | 'artifactDigest' | 'recordedAt';
export type ServedWhere = Partial<Record<ServedField, NonNullable<ViewQuery['where']>[FieldPath]>>;

export interface ServedTotal {
  key: Scalar;
  /** Prediction ids, each counted once: in the batch of the event that recorded it first. */
  predictions: number;
  /** Batches that still count at least one prediction. */
  batches: number;
}

/**
 * Per value of `groupBy`, the predictions of the batches matching `where`,
 * each id once: the batches' counts less their losses (the ids an event of
 * a lesser id recorded too). Two grouped sums; a batch's losses are read
 * only where there are any. Groups left with no prediction are left out.
 */
export async function servedTotals(
  views: ViewReader,
  where: ServedWhere,
  groupBy: Exclude<ServedField, 'recordedAt'>,
  lost?: Losses,
): Promise<ServedTotal[]> {
  const [batchSums, losses] = await Promise.all([
    views.sum('prediction_batches', where, 'count', groupBy),
    lost ?? lostFrom(views, where),
  ]);
  const totals = new Map<string, ServedTotal>(
    batchSums.map(({ key, total, count }) => [JSON.stringify(key), { key, predictions: total, batches: count }]),
  );
  for (const batch of losses.batches.values()) {
    const total = totals.get(JSON.stringify(batch[groupBy]));
    if (!total) continue;
    const lost = losses.byBatch.get(batch._id) ?? 0;
    total.predictions -= lost;
    if (lost >= batch.count) total.batches -= 1;
  }
  return [...totals.values()].filter((total) => total.predictions > 0);
}

/**
 * The first batch matching `where` in the order of `sortBy` that still
 * counts a prediction (its own first or last time, or trusted time), or
 * undefined when none does. `lost`: the losses of `where`, when already read.
 */
export async function firstServedBatch(
  views: ViewReader,
  where: ServedWhere,
  sortBy: 'recordedAt' | 'firstAt' | 'lastAt',
  direction: 1 | -1,
  lost?: Losses,
): Promise<PredictionBatchDocument | undefined> {
  const losses = lost ?? (await lostFrom(views, where));
  const emptied = new Set(
    [...losses.batches.values()].filter((b) => (losses.byBatch.get(b._id) ?? 0) >= b.count).map((b) => b._id),
  );
  // At most every emptied batch comes first: one more is enough to find one that counts.
  const candidates = (await views.find('prediction_batches', {
    where,
    sort: [[sortBy, direction]],
    limit: emptied.size + 1,
  })) as PredictionBatchDocument[];
  return candidates.find((batch) => !emptied.has(batch._id));
}

/**
 * The model versions among `modelVersionIds` that served any batch: one
 * grouped sum for all of them (equality where there is one, which the
 * store's index serves). A model version that served none has no prediction
 * to count or to raise an alert for.
 */
export async function modelVersionsServing(
  views: ViewReader,
  modelVersionIds: ReadonlySet<string>,
): Promise<Set<string>> {
  const ids = [...modelVersionIds];
  if (ids.length === 0) return new Set();
  const where = { modelVersionId: ids.length === 1 ? ids[0] : { in: ids } };
  const groups = await views.sum('prediction_batches', where, 'count', 'modelVersionId');
  return new Set(groups.filter((group) => group.count > 0).map((group) => String(group.key)));
}

/** How many ids each batch lost, and those batches. */
export interface Losses {
  byBatch: Map<string, number>;
  batches: Map<string, PredictionBatchDocument>;
}

/** The losses of the batches matching `where` (none read when nothing was lost). */
export async function lostFrom(views: ViewReader, where: ServedWhere): Promise<Losses> {
  const byBatch = new Map<string, number>();
  if ((await views.count('prediction_losses', where)) === 0) return { byBatch, batches: new Map() };
  for (const { key, count } of await views.sum('prediction_losses', where, 'count', 'eventId')) {
    if (typeof key === 'string') byBatch.set(key, count);
  }
  const batches = (await views.get('prediction_batches', [...byBatch.keys()])) as Map<string, PredictionBatchDocument>;
  return { byBatch, batches };
}
