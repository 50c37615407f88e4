import type { ViewDocument } from '@prov/projections';
import { UnencodableValueError } from '../lineage-store.errors';

/**
 * A view document as the JSON text the embedded store keeps. JSON escapes
 * what a key-value store cannot take as it is (NUL, lone surrogates), and
 * keeps any key and nested arrays, so user maps come back exactly. What
 * JSON would change silently (NaN, a Date, `undefined` in an array) is refused.
 */
export function toStoredJson(value: unknown): string {
  // Checked first, then stringified natively: a replacer function would be called for every key, at twice the cost.
  checkStorable(value);
  return JSON.stringify(value);
}

function checkStorable(value: unknown): void {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new UnencodableValueError(String(value));
      return;
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new UnencodableValueError(`a ${typeof value}`);
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (value[i] === undefined) throw new UnencodableValueError('undefined in an array');
          checkStorable(value[i]);
        }
        return;
      }
      {
        const prototype = Object.getPrototypeOf(value);
        // Plain objects of any realm: their prototype (if any) is the last of its chain.
        if (prototype !== null && Object.getPrototypeOf(prototype) !== null) {
          throw new UnencodableValueError(`an instance of ${(value as object).constructor?.name ?? 'a class'}`);
        }
      }
      for (const key in value) {
        if (Object.prototype.hasOwnProperty.call(value, key)) checkStorable((value as Record<string, unknown>)[key]);
      }
      return;
    default:
      return;
  }
}

export function fromStoredJson(json: string): ViewDocument {
  return JSON.parse(json) as ViewDocument;
}
