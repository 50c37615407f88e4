import type { ViewDocument } from '@prov/projections';
import { UnencodableValueError } from '../lineage-store.errors';

/**
 * A view document as the JSON text the embedded store keeps. JSON escapes
 * what a key-value store cannot take as it is (NUL, lone surrogates), and
 * keeps any key and nested arrays, so user maps come back exactly. What
 * JSON would change silently (NaN, a Date, `undefined` in an array) is refused.
 */
export function toStoredJson(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key: string, encoded: unknown) {
    const original = (this as Record<string, unknown>)[key];
    if (typeof original === 'number' && !Number.isFinite(original)) throw new UnencodableValueError(String(original));
    if (original === undefined && Array.isArray(this)) throw new UnencodableValueError('undefined in an array');
    if (typeof original === 'bigint' || typeof original === 'function' || typeof original === 'symbol') {
      throw new UnencodableValueError(`a ${typeof original}`);
    }
    if (original !== null && typeof original === 'object' && !Array.isArray(original)) {
      const prototype = Object.getPrototypeOf(original);
      // Plain objects of any realm: their prototype (if any) is the last of its chain.
      if (prototype !== null && Object.getPrototypeOf(prototype) !== null) {
        throw new UnencodableValueError(`an instance of ${original.constructor?.name ?? 'a class'}`);
      }
    }
    return encoded;
  });
}

export function fromStoredJson(json: string): ViewDocument {
  return JSON.parse(json) as ViewDocument;
}
