import type { FieldCondition, FieldPath, Scalar, ViewDocument, ViewQuery } from './view-store.port';

/**
 * What a view query means, document by document: which documents a `where`
 * holds for, their order, and a `sum`'s groups. `InMemoryViews` is built on
 * it, and so is any adapter that reads documents itself (an embedded
 * key-value store), so that all of them agree with the reference.
 */

const SAFE_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The matching documents, sorted (ties broken by `_id`), at most `limit`. */
export function selectDocuments(candidates: Iterable<ViewDocument>, query: ViewQuery): ViewDocument[] {
  const where = Object.entries(query.where ?? {});
  const matching = [...candidates].filter((doc) =>
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

/** Per value of `groupBy` (missing: null), the sum of numeric `field` and the count, sorted by key. */
export function sumGroups(
  docs: Iterable<ViewDocument>,
  field: FieldPath,
  groupBy: FieldPath,
): Array<{ key: Scalar; total: number; count: number }> {
  const groups = new Map<string, { key: Scalar; total: number; count: number }>();
  for (const doc of docs) {
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

export function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** The values an index lists a field under: the scalar itself, or each scalar element of an array. */
export function indexedValues(value: unknown): Scalar[] {
  if (Array.isArray(value)) return [...new Set(value.filter((element) => element !== null && isScalar(element)))];
  return value !== null && value !== undefined && isScalar(value) ? [value] : [];
}

export function checkedPath(path: FieldPath): string[] {
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
