import { indexedValues, isScalar } from '@prov/projections';
import type { Key } from 'lmdb';
import type { FieldCondition, ViewDocument, ViewName } from '@prov/projections';
import { VIEW_INDEXES } from '../view-indexes';

/**
 * The embedded store's secondary indexes: one entry `[view, field, type,
 * value] -> id` per scalar (or array element) of each field that
 * `VIEW_INDEXES` names. An index only narrows the documents a query reads;
 * every condition is then checked on the documents themselves, so an entry
 * may stand for more documents than match (long strings are cut).
 */
export type IndexKey = [ViewName, string, ValueType, IndexedValue];
type IndexedValue = string | number | boolean;

/** Keeps types apart in the index, so a range on strings never meets numbers (MongoDB compares within a type). */
type ValueType = 'b' | 'n' | 's';
const NEXT_TYPE: Record<ValueType, string> = { b: 'c', n: 'o', s: 't' };

/** Entries stay well under LMDB's key size; a longer value is indexed under its beginning. */
const INDEXED_CHARACTERS = 256;

const INDEXED_FIELDS = new Map<ViewName, ReadonlySet<string>>(
  Object.entries(VIEW_INDEXES).map(([view, keys]) => [
    view as ViewName,
    new Set(keys.flatMap((key) => Object.keys(key)).filter((field) => field !== '_id')),
  ]),
);

export function indexEntries(view: ViewName, doc: ViewDocument): IndexKey[] {
  const entries: IndexKey[] = [];
  for (const field of INDEXED_FIELDS.get(view) ?? []) {
    for (const value of indexedValues(doc[field]) as IndexedValue[]) {
      entries.push([view, field, typeOf(value), indexed(value)]);
    }
  }
  return entries;
}

/** Where in the index the documents a condition may hold for are: keys to look up, or a key range; none when it cannot say. */
export type IndexLookup = { keys: IndexKey[] } | { start: Key; end: Key };

export function indexLookup(view: ViewName, field: string, condition: FieldCondition): IndexLookup | undefined {
  if (!INDEXED_FIELDS.get(view)?.has(field)) return undefined;
  if (isScalar(condition) || (condition !== null && 'in' in condition)) {
    const values = isScalar(condition) ? [condition] : condition.in;
    // Null also matches a missing field, which has no entry.
    if (values.some((value) => value === null)) return undefined;
    return { keys: (values as IndexedValue[]).map((value): IndexKey => [view, field, typeOf(value), indexed(value)]) };
  }
  const lower = condition.gt ?? condition.gte;
  const upper = condition.lt ?? condition.lte;
  const types = new Set([lower, upper].filter((bound) => bound !== undefined && bound !== null).map(typeOf));
  // A null bound, or bounds of two types, leave the range to the document checks.
  if (types.size !== 1 || lower === null || upper === null) return undefined;
  const [type] = types;
  return {
    start: lower === undefined ? [view, field, type] : [view, field, type, indexed(lower)],
    // Bounds are taken inclusively (a cut value may equal a cut bound): a key longer than [.., value] ends the range.
    end: upper === undefined ? [view, field, NEXT_TYPE[type]] : [view, field, type, indexed(upper), 0],
  };
}

function typeOf(value: IndexedValue): ValueType {
  return typeof value === 'number' ? 'n' : typeof value === 'string' ? 's' : 'b';
}

function indexed(value: IndexedValue): IndexedValue {
  if (typeof value !== 'string' || value.length <= INDEXED_CHARACTERS) return value;
  const cut = value.slice(0, INDEXED_CHARACTERS);
  // Never half a surrogate pair: the key is UTF-8.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
