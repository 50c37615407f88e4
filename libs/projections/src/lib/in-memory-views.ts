import type {
  FieldCondition,
  FieldPath,
  Scalar,
  ViewDocument,
  ViewName,
  ViewQuery,
  ViewReader,
  ViewWrite,
  ViewWriter,
} from './view-store.port';

const SAFE_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * Top-level fields looked up by equality often enough, in views that grow,
 * to keep an index of: the ids of the documents holding each value (each
 * element of an array). Queries on other fields scan their view.
 */
const INDEXED_FIELDS: Partial<Record<ViewName, readonly string[]>> = {
  nodes: ['kind'],
  edges: ['from', 'to'],
  prediction_batches: ['modelVersionId', 'deploymentId'],
  prediction_claims: ['predictionId'],
  prediction_losses: ['eventId', 'modelVersionId'],
  alerts: ['modelVersionId', 'type'],
};

type FieldIndex = Map<string, Map<Scalar, Set<string>>>;

/**
 * The lineage views as plain maps: the semantics every store adapter must
 * match (the lineage-store contract suite holds the MongoDB adapter to it),
 * the embedded mode's store, and the fixture of projection tests.
 * Documents are deep-copied in and out, so callers never share state with it.
 */
export class InMemoryViews implements ViewReader, ViewWriter {
  private readonly views = new Map<ViewName, Map<string, ViewDocument>>();
  private readonly indexes = new Map<ViewName, FieldIndex>();

  async get(view: ViewName, ids: readonly string[]): Promise<Map<string, ViewDocument>> {
    const docs = this.viewOf(view);
    const found = new Map<string, ViewDocument>();
    for (const id of ids) {
      const doc = docs.get(id);
      if (doc) found.set(id, structuredClone(doc));
    }
    return found;
  }

  async find(view: ViewName, query: ViewQuery): Promise<ViewDocument[]> {
    return this.select(view, query).map((doc) => structuredClone(doc));
  }

  async count(view: ViewName, where?: ViewQuery['where']): Promise<number> {
    return this.select(view, { where }).length;
  }

  async sum(
    view: ViewName,
    where: ViewQuery['where'],
    field: FieldPath,
    groupBy: FieldPath,
  ): Promise<Array<{ key: Scalar; total: number; count: number }>> {
    const groups = new Map<string, { key: Scalar; total: number; count: number }>();
    for (const doc of this.select(view, { where })) {
      const raw = valueAt(doc, groupBy);
      const key: Scalar = raw === undefined ? null : (raw as Scalar);
      const group = groups.get(JSON.stringify(key)) ?? { key, total: 0, count: 0 };
      const value = valueAt(doc, field);
      group.total += typeof value === 'number' ? value : 0;
      group.count += 1;
      groups.set(JSON.stringify(key), group);
    }
    return [...groups.values()].sort((a, b) => compareScalars(a.key, b.key));
  }

  async apply(writes: readonly ViewWrite[]): Promise<void> {
    for (const write of writes) this.applyOne(write);
  }

  /** Keeps the given documents themselves (not copies): the hot path stores a million of them. */
  async insertNew(view: ViewName, docs: readonly ViewDocument[]): Promise<Set<string>> {
    const stored = this.viewOf(view);
    const present = new Set<string>();
    for (const doc of docs) {
      if (stored.has(doc._id)) present.add(doc._id);
      else this.store(view, doc);
    }
    return present;
  }

  /** Every document of a view, by id (copies): for comparing generations. */
  snapshot(view: ViewName): ViewDocument[] {
    return [...this.viewOf(view).values()].sort((a, b) => compareScalars(a._id, b._id)).map((d) => structuredClone(d));
  }

  clear(): void {
    this.views.clear();
    this.indexes.clear();
  }

  private applyOne(write: ViewWrite): void {
    const docs = this.viewOf(write.view);
    switch (write.op) {
      case 'set': {
        const stored = docs.get(write.id);
        const doc = stored ? structuredClone(stored) : { _id: write.id };
        for (const [path, value] of Object.entries(write.fields)) setAt(doc, checkedPath(path), structuredClone(value));
        this.store(write.view, doc);
        return;
      }
      case 'replace':
        this.store(write.view, { ...structuredClone(write.doc), _id: write.id });
        return;
      case 'delete':
        this.unindex(write.view, docs.get(write.id));
        docs.delete(write.id);
        return;
    }
  }

  /** Stores (or replaces) a document and keeps the view's indexes in step. */
  private store(view: ViewName, doc: ViewDocument): void {
    const docs = this.viewOf(view);
    this.unindex(view, docs.get(doc._id));
    docs.set(doc._id, doc);
    const fields = INDEXED_FIELDS[view];
    if (!fields) return;
    const index = this.indexOf(view);
    for (const field of fields) {
      for (const value of indexedValues(doc[field])) {
        const byValue = index.get(field) as Map<Scalar, Set<string>>;
        let ids = byValue.get(value);
        if (!ids) byValue.set(value, (ids = new Set()));
        ids.add(doc._id);
      }
    }
  }

  private unindex(view: ViewName, doc: ViewDocument | undefined): void {
    const fields = INDEXED_FIELDS[view];
    if (!doc || !fields) return;
    const index = this.indexOf(view);
    for (const field of fields) {
      const byValue = index.get(field) as Map<Scalar, Set<string>>;
      for (const value of indexedValues(doc[field])) {
        const ids = byValue.get(value);
        ids?.delete(doc._id);
        if (ids?.size === 0) byValue.delete(value);
      }
    }
  }

  private indexOf(view: ViewName): FieldIndex {
    let index = this.indexes.get(view);
    if (!index) {
      index = new Map((INDEXED_FIELDS[view] ?? []).map((field) => [field, new Map()]));
      this.indexes.set(view, index);
    }
    return index;
  }

  /** The documents an indexed equality (or `in`) condition allows, or all of them when none applies. */
  private candidates(view: ViewName, where: Array<[FieldPath, FieldCondition]>): Iterable<ViewDocument> {
    const docs = this.viewOf(view);
    const fields = INDEXED_FIELDS[view] ?? [];
    for (const [path, condition] of where) {
      if (!fields.includes(path)) continue;
      const values = isScalar(condition)
        ? [condition]
        : condition !== null && 'in' in condition
          ? condition.in
          : undefined;
      // Null also matches a missing field, which the index does not list.
      if (!values || values.some((value) => value === null)) continue;
      const byValue = this.indexOf(view).get(path) as Map<Scalar, Set<string>>;
      const ids = new Set<string>();
      for (const value of values) for (const id of byValue.get(value) ?? []) ids.add(id);
      return [...ids].map((id) => docs.get(id) as ViewDocument);
    }
    return docs.values();
  }

  private select(view: ViewName, query: ViewQuery): ViewDocument[] {
    const where = Object.entries(query.where ?? {});
    const matching = [...this.candidates(view, where)].filter((doc) =>
      where.every(([path, condition]) => holds(valueAt(doc, checkedPath(path)), condition)),
    );
    const sort = [...(query.sort ?? []), ['_id', 1] as [FieldPath, 1 | -1]];
    matching.sort((a, b) => {
      for (const [path, direction] of sort) {
        const order = compareScalars(sortKey(valueAt(a, path)), sortKey(valueAt(b, path)));
        if (order !== 0) return order * direction;
      }
      return 0;
    });
    return query.limit === undefined ? matching : matching.slice(0, query.limit);
  }

  private viewOf(view: ViewName): Map<string, ViewDocument> {
    let docs = this.views.get(view);
    if (!docs) {
      docs = new Map();
      this.views.set(view, docs);
    }
    return docs;
  }
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** The values an index lists a field under: the scalar itself, or each scalar element of an array. */
function indexedValues(value: unknown): Scalar[] {
  if (Array.isArray(value)) return [...new Set(value.filter((element) => element !== null && isScalar(element)))];
  return value !== null && value !== undefined && isScalar(value) ? [value] : [];
}

function checkedPath(path: FieldPath): string[] {
  if (!SAFE_PATH.test(path)) throw new Error(`not a view field path: ${JSON.stringify(path)}`);
  return path.split('.');
}

/** The value at a field path of a view document; undefined through a missing field, a scalar or an array. */
export function valueAt(doc: unknown, path: FieldPath | string[]): unknown {
  let value: unknown = doc;
  for (const segment of Array.isArray(path) ? path : path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Sets a path as `$set` does on a document, making objects of what is missing or not an object on the way. */
export function setAt(doc: Record<string, unknown>, path: string[], value: unknown): void {
  let target = doc;
  for (const segment of path.slice(0, -1)) {
    const next = target[segment];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) target[segment] = {};
    target = target[segment] as Record<string, unknown>;
  }
  target[path[path.length - 1]] = value;
}

/** A condition on an array field holds when one element satisfies it, as in MongoDB. */
function holds(value: unknown, condition: FieldCondition): boolean {
  if (Array.isArray(value)) return value.some((element) => holdsOne(element, condition));
  return holdsOne(value, condition);
}

function holdsOne(value: unknown, condition: FieldCondition): boolean {
  if (condition === null || typeof condition !== 'object') return sameScalar(value, condition);
  if ('in' in condition) return condition.in.some((candidate) => sameScalar(value, candidate));
  if (value === undefined || value === null || typeof value === 'object') return false;
  const scalar = value as Scalar;
  const bounds: Array<[Scalar | undefined, (order: number) => boolean]> = [
    [condition.gt, (o) => o > 0],
    [condition.gte, (o) => o >= 0],
    [condition.lt, (o) => o < 0],
    [condition.lte, (o) => o <= 0],
  ];
  return bounds.every(
    ([bound, test]) => bound === undefined || (typeof bound === typeof scalar && test(compareScalars(scalar, bound))),
  );
}

function sameScalar(value: unknown, expected: Scalar): boolean {
  if (expected === null) return value === null || value === undefined;
  return value === expected;
}

/** Missing sorts like null, before every value, in ascending order (as MongoDB does). */
function sortKey(value: unknown): Scalar {
  return value === undefined || typeof value === 'object' ? null : (value as Scalar);
}

const TYPE_ORDER: Record<string, number> = { null: 0, number: 1, string: 2, boolean: 3 };

/** MongoDB's order across types: null, numbers, strings, booleans. */
export function compareScalars(a: Scalar, b: Scalar): number {
  const ta = a === null ? 'null' : typeof a;
  const tb = b === null ? 'null' : typeof b;
  if (ta !== tb) return TYPE_ORDER[ta] - TYPE_ORDER[tb];
  if (a === b || a === null) return 0;
  if (typeof a === 'string') return a < (b as string) ? -1 : 1; // binary (code unit) order
  return (a as number | boolean) < (b as number | boolean) ? -1 : 1;
}
