import type { FieldPath, ViewQuery, ViewWrite } from '@prov/projections';
import { InvalidFieldPathError } from './lineage-store.errors';

/** The views' own field paths (never user keys), so they pass unchanged through the document codec and into driver filters. */
const FIELD_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function checkFieldPath(path: FieldPath): FieldPath {
  if (typeof path !== 'string' || !FIELD_PATH.test(path)) throw new InvalidFieldPathError(String(path));
  return path;
}

/** Checks every path of the writes before any is applied, so a bad batch changes nothing. */
export function checkWritePaths(writes: readonly ViewWrite[]): void {
  for (const write of writes) {
    if (write.op === 'set') Object.keys(write.fields).forEach(checkFieldPath);
  }
}

export function checkQueryPaths(query: ViewQuery): void {
  Object.keys(query.where ?? {}).forEach(checkFieldPath);
  for (const [path] of query.sort ?? []) checkFieldPath(path);
}
