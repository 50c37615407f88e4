/** A JSON value as it travels in an event: what canonical JSON can digest. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const MAX_JSON_DEPTH = 32;

/**
 * Finds the first place where `value` is not plain JSON (non-finite number,
 * lone surrogate, undefined, function, class instance, excessive nesting).
 * Returns the problem with its path, or undefined when the value is clean.
 * Digests are computed over RFC 8785 canonical JSON, which cannot represent
 * these, so they are refused at the door rather than at digest time.
 */
export function findNonJsonValue(value: unknown, path = '', depth = 0): { path: string; problem: string } | undefined {
  if (depth > MAX_JSON_DEPTH) return { path, problem: `is nested deeper than ${MAX_JSON_DEPTH} levels` };
  switch (typeof value) {
    case 'string':
      return value.isWellFormed() ? undefined : { path, problem: 'contains a lone UTF-16 surrogate' };
    case 'number':
      return Number.isFinite(value) ? undefined : { path, problem: 'must be a finite number' };
    case 'boolean':
      return undefined;
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const found = findNonJsonValue(value[i], `${path}[${i}]`, depth + 1);
          if (found) return found;
        }
        return undefined;
      }
      if (!isPlainObject(value)) return { path, problem: 'must be a plain JSON object' };
      for (const [key, child] of Object.entries(value)) {
        // A "__proto__" key would re-parent objects built from this value.
        if (key === '__proto__') return { path: joinPath(path, key), problem: 'key __proto__ is not allowed' };
        if (!key.isWellFormed()) return { path: joinPath(path, key), problem: 'key contains a lone UTF-16 surrogate' };
        const found = findNonJsonValue(child, joinPath(path, key), depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    default:
      return { path, problem: `must be JSON (found ${typeof value})` };
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends a property to a path: `a.b`, or `a["odd.key"]` when the key is not an identifier. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number' || /^\d+$/.test(key)) return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/**
 * True for `{}`-like objects, also from another realm (a vm context or a
 * structured clone), whose Object.prototype is not ours; false for arrays,
 * class instances, Dates and the like.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (
    proto === null ||
    (Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === '[object Object]')
  );
}
