import type { ViewDocument } from '@prov/projections';
import { UnencodableValueError } from '../lineage-store.errors';

/**
 * A reversible encoding of JSON values into what FerretDB v1 (and MongoDB)
 * store, applied to everything the MongoDB adapter writes and undone on every
 * read. View documents carry user maps (hyperparameters, metrics, labels...)
 * whose keys and values the store would refuse or alter:
 *
 * - keys: `%` -> `%25`, `.` -> `%2E`, NUL -> `%00`, a lone surrogate -> `%uXXXX`,
 *   a leading `$` -> `%24`; the empty key -> `%`;
 * - an array that is an element of an array -> `{ "%a": [...] }`;
 * - a string holding NUL or a lone surrogate (which UTF-8 cannot carry) ->
 *   `{ "%s": "<the string with %, NUL and lone surrogates escaped as above>" }`.
 *
 * Every `%` of a user key is escaped, so `%a`, `%s` and `%` never come from
 * user data and decoding is unambiguous. Safe keys and plain values are left
 * as they are, so queries on the views' own fields work on stored documents.
 * JSON has no -0 (`JSON.stringify(-0)` is `0`), and FerretDB stores -0 as 0:
 * the codec writes 0 for it, so both stores read back the same value.
 */

const ARRAY_MARKER = '%a';
const STRING_MARKER = '%s';
const EMPTY_KEY = '%';

/** `%`, `.`, NUL and UTF-16 surrogates that are not half of a pair (no `u` flag: matches code units). */
const KEY_UNSAFE = /[%.\0]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TEXT_UNSAFE = /[%\0]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPE = /%(25|2E|24|00|u[0-9A-F]{4})/g;

export function encodeValue(value: unknown): unknown {
  return encode(value, false);
}

export function decodeValue(stored: unknown): unknown {
  if (Array.isArray(stored)) return stored.map(decodeValue);
  if (stored === null || typeof stored !== 'object') return stored;
  const entries = Object.entries(stored);
  if (entries.length === 1) {
    const [[key, inner]] = entries;
    if (key === ARRAY_MARKER && Array.isArray(inner)) return inner.map(decodeValue);
    if (key === STRING_MARKER && typeof inner === 'string') return unescape(inner);
  }
  return decodeFields(stored as Record<string, unknown>);
}

/** A view document as stored: `_id` (one of our ids) as it is, every other field encoded. */
export function encodeDocument(doc: ViewDocument, id: string): ViewDocument {
  const { _id: _ignored, ...fields } = doc;
  return { _id: id, ...(encode(fields, false) as Record<string, unknown>) };
}

export function decodeDocument(stored: Record<string, unknown>): ViewDocument {
  const { _id, ...fields } = stored;
  return { _id: _id as string, ...decodeFields(fields) };
}

function encode(value: unknown, inArray: boolean): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UnencodableValueError(String(value));
    return value === 0 ? 0 : value;
  }
  if (typeof value === 'string') {
    return value.includes('\0') || !value.isWellFormed() ? { [STRING_MARKER]: escapeText(value) } : value;
  }
  if (Array.isArray(value)) {
    // Array.from visits holes too, which JSON would turn into null.
    const items = Array.from(value, (item: unknown) => {
      if (item === undefined) throw new UnencodableValueError('undefined in an array');
      return encode(item, true);
    });
    return inArray ? { [ARRAY_MARKER]: items } : items;
  }
  if (isPlainObject(value)) {
    // Object.fromEntries defines own properties, so a user key "__proto__" stays a key.
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== undefined) // as JSON.stringify does
        .map(([key, field]) => [encodeKey(key), encode(field, false)]),
    );
  }
  throw new UnencodableValueError(value === undefined ? 'undefined' : describe(value));
}

function decodeFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, field]) => [decodeKey(key), decodeValue(field)]));
}

function encodeKey(key: string): string {
  if (key === '') return EMPTY_KEY;
  const escaped = key.replace(KEY_UNSAFE, escapeUnit);
  return escaped.startsWith('$') ? `%24${escaped.slice(1)}` : escaped;
}

function decodeKey(key: string): string {
  return key === EMPTY_KEY ? '' : unescape(key);
}

function escapeText(text: string): string {
  return text.replace(TEXT_UNSAFE, escapeUnit);
}

function escapeUnit(unit: string): string {
  switch (unit) {
    case '%':
      return '%25';
    case '.':
      return '%2E';
    case '\0':
      return '%00';
    default:
      return `%u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  }
}

function unescape(text: string): string {
  return text.replace(ESCAPE, (_match, code: string) =>
    code.startsWith('u') ? String.fromCharCode(parseInt(code.slice(1), 16)) : String.fromCharCode(parseInt(code, 16)),
  );
}

/** An object literal's prototype is `Object.prototype` of some realm (structuredClone in a vm context gives another realm's). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

function describe(value: unknown): string {
  if (typeof value === 'object') return `an instance of ${value?.constructor?.name ?? 'an unknown class'}`;
  return `a ${typeof value}`;
}
