import { InMemoryViews } from './in-memory-views';
import type { ViewName, ViewQuery, ViewReader } from './view-store.port';

/** The facts prediction alerts and their versions count: both carry the model version they belong to. */
const SNAPSHOT_VIEWS: ReadonlySet<ViewName> = new Set(['prediction_batches', 'prediction_losses']);
/**
 * Documents of a view read into the copy at most: model versions that
 * served more batches than this are counted by the store, where an index
 * of a store that has them serves every sum without reading the documents.
 */
export const SNAPSHOT_LIMIT = 10_000;

/**
 * A reader whose batches and losses of these model versions are read once,
 * by one query per view, and kept in memory: the grouped sums, counts and
 * sorted reads that a round's prediction alerts and their versions make
 * (a dozen per model version) are then answered from that copy. A store
 * that pushes no filter down but `_id` (FerretDB on SQLite) scans a view
 * whole for each of them; here it scans each once. Any other read, and a
 * read of other model versions, goes to `views`.
 *
 * The copy is the facts as of the moment it was read: what is computed
 * from it and the version read from it describe the same facts, which is
 * what a settlement needs (see Settlement). Model versions with more than
 * `SNAPSHOT_LIMIT` batches or losses are read from `views` as before.
 */
export async function predictionFactsSnapshot(
  views: ViewReader,
  modelVersionIds: Iterable<string>,
): Promise<ViewReader> {
  const ids = new Set(modelVersionIds);
  if (ids.size === 0) return views;
  const where = { modelVersionId: ids.size === 1 ? [...ids][0] : { in: [...ids] } };
  const copy = new InMemoryViews();
  const [batches, losses] = await Promise.all([
    views.find('prediction_batches', { where, limit: SNAPSHOT_LIMIT + 1 }),
    views.find('prediction_losses', { where, limit: SNAPSHOT_LIMIT + 1 }),
  ]);
  if (batches.length > SNAPSHOT_LIMIT || losses.length > SNAPSHOT_LIMIT) return views;
  await copy.apply([
    ...batches.map((doc) => ({ op: 'replace' as const, view: 'prediction_batches' as const, id: doc._id, doc })),
    ...losses.map((doc) => ({ op: 'replace' as const, view: 'prediction_losses' as const, id: doc._id, doc })),
  ]);
  const held = (view: ViewName, query?: ViewQuery['where']): boolean => {
    if (!SNAPSHOT_VIEWS.has(view)) return false;
    const condition = query?.['modelVersionId'];
    if (typeof condition === 'string') return ids.has(condition);
    if (condition !== null && typeof condition === 'object' && 'in' in condition) {
      return condition.in.every((id) => typeof id === 'string' && ids.has(id));
    }
    return false;
  };
  return {
    get: async (view, docIds) => {
      if (!SNAPSHOT_VIEWS.has(view)) return views.get(view, docIds);
      const found = await copy.get(view, docIds);
      const missing = docIds.filter((id) => !found.has(id));
      if (missing.length > 0) for (const [id, doc] of await views.get(view, missing)) found.set(id, doc);
      return found;
    },
    find: (view, query) => (held(view, query.where) ? copy.find(view, query) : views.find(view, query)),
    count: (view, query) => (held(view, query) ? copy.count(view, query) : views.count(view, query)),
    sum: (view, query, field, groupBy) =>
      held(view, query) ? copy.sum(view, query, field, groupBy) : views.sum(view, query, field, groupBy),
  };
}
