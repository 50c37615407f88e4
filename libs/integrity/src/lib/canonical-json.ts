import canonicalize from 'canonicalize';
import { NonCanonicalizableValueError } from './integrity.errors';

/**
 * RFC 8785 (JSON Canonicalization Scheme): keys sorted by UTF-16 code units,
 * numbers in ECMAScript's shortest round-trip form, no whitespace. Strict:
 * only plain JSON is accepted, since whatever JSON.stringify would silently
 * drop or coerce (undefined, functions, NaN, Dates...) would make the digest
 * cover something other than what the caller holds.
 */
export function canonicalJson(value: unknown): string {
  assertPlainJson(value, '$', new Set());
  return canonicalize(value) as string;
}

function assertPlainJson(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new NonCanonicalizableValueError(path, 'string contains a lone surrogate');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NonCanonicalizableValueError(path, `${value} is not a JSON number`);
      return;
    case 'boolean':
      return;
    case 'object': {
      if (value === null) return;
      if (ancestors.has(value)) throw new NonCanonicalizableValueError(path, 'circular reference');
      ancestors.add(value);
      if (Array.isArray(value)) {
        value.forEach((item, i) => assertPlainJson(item, `${path}[${i}]`, ancestors));
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== null && Object.getPrototypeOf(proto) !== null) {
          throw new NonCanonicalizableValueError(
            path,
            `${proto.constructor?.name ?? 'object'} is not a plain JSON object`,
          );
        }
        if (Object.prototype.toString.call(value) !== '[object Object]') {
          throw new NonCanonicalizableValueError(path, 'not a plain JSON object');
        }
        for (const [key, child] of Object.entries(value)) {
          if (!key.isWellFormed()) throw new NonCanonicalizableValueError(path, 'key contains a lone surrogate');
          assertPlainJson(child, `${path}.${key}`, ancestors);
        }
      }
      ancestors.delete(value);
      return;
    }
    default:
      throw new NonCanonicalizableValueError(path, `${typeof value} is not JSON`);
  }
}
