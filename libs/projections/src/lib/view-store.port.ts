/**
 * What projections ask of the store that keeps the lineage views, and the
 * writes they return. Kept to what MongoDB, FerretDB v1, DocumentDB and an
 * in-process map all do alike: point reads, equality/range queries on the
 * views' own fields with a sort and a limit, a `$group`-with-`$sum` total,
 * and idempotent single-document upserts and deletes (no transactions).
 */

/** The view collections, all written only by the projector. */
export const VIEW_NAMES = [
  'nodes',
  'edges',
  'predictions',
  'prediction_batches',
  'prediction_batch_ids',
  'prediction_claims',
  'prediction_losses',
  'model_lineage',
  'slice_impact',
  'alerts',
  /** The event ids a generation admitted, each with its event digest: replays and conflicting copies are told apart by it. */
  'folded_events',
] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** A document of a view: `_id` plus JSON values. User maps inside may have any keys and nested arrays. */
export interface ViewDocument {
  _id: string;
  [field: string]: unknown;
}

/**
 * A field path of a view's own schema: segments of `[A-Za-z0-9_-]` (event ids
 * and our field names), joined by `.`. Never built from user-supplied keys.
 */
export type FieldPath = string;

/**
 * One idempotent write. Applying a write twice, or applying the writes of
 * one `apply` call in any order, leaves the same view: projections never
 * give two writes of one call the same document unless they commute.
 */
export type ViewWrite =
  /** Upserts the document and sets these paths (other fields are left as they are). */
  | { op: 'set'; view: ViewName; id: string; fields: Record<FieldPath, unknown> }
  /** Upserts the whole document. */
  | { op: 'replace'; view: ViewName; id: string; doc: ViewDocument }
  | { op: 'delete'; view: ViewName; id: string };

export type Scalar = string | number | boolean | null;

/** A condition on one field: equality, membership, or a range (bounds on strings compare as strings). */
export type FieldCondition = Scalar | { in: Scalar[] } | { gt?: Scalar; gte?: Scalar; lt?: Scalar; lte?: Scalar };

export interface ViewQuery {
  /** All conditions must hold. A condition on an array field holds when one element satisfies it. */
  where?: Record<FieldPath, FieldCondition>;
  /** Sort keys in order; `_id` ascending breaks ties so that results are deterministic. */
  sort?: Array<[FieldPath, 1 | -1]>;
  limit?: number;
}

/** Read access to one generation of the views. */
export interface ViewReader {
  /** The documents with these ids that exist (absent ids are missing from the map). */
  get(view: ViewName, ids: readonly string[]): Promise<Map<string, ViewDocument>>;
  find(view: ViewName, query: ViewQuery): Promise<ViewDocument[]>;
  count(view: ViewName, where?: ViewQuery['where']): Promise<number>;
  /** Per value of `groupBy`, the sum of numeric `field` over the matching documents (a `$group` with `$sum`). */
  sum(
    view: ViewName,
    where: ViewQuery['where'],
    field: FieldPath,
    groupBy: FieldPath,
  ): Promise<Array<{ key: Scalar; total: number; count: number }>>;
}

export interface ViewWriter {
  /** Applies the writes (unordered bulk) and resolves once the store acknowledged all of them. */
  apply(writes: readonly ViewWrite[]): Promise<void>;
  /**
   * Inserts each document whose `_id` the view does not hold yet and leaves
   * the stored ones as they are; resolves with the ids that were already
   * there. The store's unique `_id` decides between writers racing on one
   * id (exactly one insert wins), which no read-then-write can do on a store
   * without transactions. The documents may be kept as given: callers hand
   * them over and do not change them afterwards.
   */
  insertNew(view: ViewName, docs: readonly ViewDocument[]): Promise<Set<string>>;
}
