import fc from 'fast-check';
import type { JsonSchema } from './documented-routes';

/** Query operators and code, where ids and names are expected (NoSQL injection). */
export const INJECTIONS: unknown[] = [
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000) || true' },
  { $regex: '.*' },
  { $in: ['a', 'b'] },
  { $expr: { $eq: [1, 1] } },
];

/** Ids that try to leave their place: path traversal, raw and encoded, NUL bytes, absolute paths. */
export const TRAVERSALS: string[] = [
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%252e%252e%252fetc%252fpasswd',
  '....//....//etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  'model:x@1%00.json',
  'dataset:../../x',
  'pred:../../../audit',
];

/** A JSON type other than the one a schema declares, so the value is certainly invalid there. */
export function wrongValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = typeOf(schema);
  const candidates: unknown[] = [...INJECTIONS, 42, -1.5, true, null, 'x', ['x'], {}, [[]]];
  return fc.constantFrom(...candidates.filter((value) => !fits(value, type)));
}

/** A value of roughly the declared type (often invalid in its details: patterns, lengths, ranges). */
export function roughValue(
  schema: JsonSchema,
  resolve: (s: JsonSchema) => JsonSchema,
  depth = 0,
): fc.Arbitrary<unknown> {
  const resolved = resolve(schema);
  switch (typeOf(resolved)) {
    case 'string':
      return fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom(...TRAVERSALS, 'x'.repeat(5000), '\u0000', '$where'),
      );
    case 'integer':
    case 'number':
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(-0));
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3
        ? fc.constant([])
        : fc.array(roughValue(resolved.items ?? {}, resolve, depth + 1), { maxLength: 3 });
    case 'object':
      return depth > 3 || !resolved.properties
        ? fc.dictionary(fc.constantFrom('a', 'a.b', '$gt', '', '%2E', 'x'), plainJson(), {
            maxKeys: 3,
          })
        : fc.record(
            Object.fromEntries(
              Object.entries(resolved.properties).map(([key, property]) => [
                key,
                roughValue(property, resolve, depth + 1),
              ]),
            ),
            { requiredKeys: [] },
          );
    default:
      return plainJson();
  }
}

/**
 * Any JSON but a `__proto__` key (fast-check makes them on purpose): the
 * services refuse those first, naming that key, which is checked on its own,
 * while these bodies must be refused for the one field each breaks.
 */
function plainJson(): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth: 2 }).filter((value) => !JSON.stringify(value).includes('"__proto__"'));
}

export function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  if (schema.type) return schema.type;
  if (schema.$ref || schema.properties) return 'object';
  return undefined;
}

function fits(value: unknown, type: string | undefined): boolean {
  if (type === undefined) return true;
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === type;
}

/** Times in the RFC 3339 shape that no calendar has: a parser that rolls them over would record another time. */
export const IMPOSSIBLE_TIMES = [
  '2026-02-30T00:00:00Z',
  '2026-02-29T12:00:00Z',
  '2026-04-31T00:00:00Z',
  '0000-00-00T00:00:00Z',
  '2026-13-45T99:99:99Z',
  '2026-01-01T24:00:00Z',
];

/** The paths (`predictions[0].at`) of the date-time fields a body schema declares, with a body holding only that field. */
export function timestampFields(
  schema: JsonSchema,
  resolve: (s: JsonSchema) => JsonSchema,
  at: Array<string | number> = [],
): Array<{ path: string; bodyWith: (value: string) => unknown }> {
  const resolved = resolve(schema);
  if (resolved.format === 'date-time' && at.length > 0) {
    const path = at.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
    const bodyWith = (value: string) =>
      at.reduceRight<unknown>((inner, step) => (typeof step === 'number' ? [inner] : { [step]: inner }), value);
    return [{ path, bodyWith }];
  }
  if (at.length > 4) return [];
  if (typeOf(resolved) === 'array' && resolved.items) return timestampFields(resolved.items, resolve, [...at, 0]);
  return Object.entries(resolved.properties ?? {}).flatMap(([key, property]) =>
    timestampFields(property, resolve, [...at, key]),
  );
}
