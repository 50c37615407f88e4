import type { FieldCondition, FieldPath, ViewQuery } from '@prov/projections';
import { checkFieldPath } from '../field-path';
import { encodeValue } from './document-codec';

/**
 * A view query's conditions as a driver filter with InMemoryViews' meaning.
 * Values are encoded as stored values are, so equality on a string holding
 * NUL matches its stored (wrapped) form.
 */
export function toFilter(where: ViewQuery['where']): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const [path, condition] of Object.entries(where ?? {})) filter[checkFieldPath(path)] = toCondition(condition);
  return filter;
}

/** The sort keys in order, each path once, ending with `_id` ascending as InMemoryViews does. */
export function toSort(sort: ViewQuery['sort']): Array<[FieldPath, 1 | -1]> {
  const keys = new Map<FieldPath, 1 | -1>();
  for (const [path, direction] of sort ?? []) if (!keys.has(checkFieldPath(path))) keys.set(path, direction);
  if (!keys.has('_id')) keys.set('_id', 1);
  return [...keys];
}

function toCondition(condition: FieldCondition): unknown {
  // Equality on null also matches a missing field, in MongoDB as in InMemoryViews.
  if (condition === null || typeof condition !== 'object') return encodeValue(condition);
  if ('in' in condition) return { $in: condition.in.map((candidate) => encodeValue(candidate)) };
  const bounds = Object.entries({
    $gt: condition.gt,
    $gte: condition.gte,
    $lt: condition.lt,
    $lte: condition.lte,
  }).filter(([, bound]) => bound !== undefined);
  // No value compares with a null bound in InMemoryViews (MongoDB would take $gte: null as "null or missing").
  if (bounds.some(([, bound]) => bound === null)) return { $in: [] };
  // No bounds: any scalar holds (an empty object would mean equality with {}).
  if (bounds.length === 0) return { $type: ['number', 'string', 'bool'] };
  return Object.fromEntries(bounds);
}
