import fc from 'fast-check';
import { UnencodableValueError } from '../lineage-store.errors';
import { decodeDocument, decodeValue, encodeDocument, encodeValue } from './document-codec';

/** What FerretDB v1 refuses or alters, anywhere in a stored value. */
function problems(stored: unknown, inArray = false, path = '$'): string[] {
  if (typeof stored === 'string') {
    return stored.includes('\0') || !stored.isWellFormed() ? [`${path}: string with NUL or lone surrogate`] : [];
  }
  if (typeof stored === 'number') return Object.is(stored, -0) ? [`${path}: -0`] : [];
  if (Array.isArray(stored)) {
    const here = inArray ? [`${path}: array in an array`] : [];
    return [...here, ...stored.flatMap((item, i) => problems(item, true, `${path}[${i}]`))];
  }
  if (stored !== null && typeof stored === 'object') {
    return Object.entries(stored).flatMap(([key, value]) => [
      ...(key === '' || key.includes('.') || key.startsWith('$') || key.includes('\0') || !key.isWellFormed()
        ? [`${path}: unsafe key ${JSON.stringify(key)}`]
        : []),
      ...problems(value, false, `${path}.${key}`),
    ]);
  }
  return [];
}

/** The value JSON itself would give back (JSON has no -0). */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('document codec', () => {
  it('gives back exactly any JSON value, with any code units in keys and strings', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        expect(decodeValue(encodeValue(value))).toEqual(viaJson(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives back exactly JSON values made of the characters the encoding uses (%, ., $, NUL)', () => {
    const tricky = fc.string({ unit: fc.constantFrom('%', '.', '$', '\0', 'a', 's', '2', 'E', '5', 'u', '\uD800') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        tricky,
        fc.integer(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(tricky, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(decodeValue(encodeValue(v))).toEqual(viaJson(v));
      }),
      { numRuns: 2_000 },
    );
  });

  it('stores no unsafe key, no array in an array, no string with NUL and no -0', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        expect(problems(encodeValue(value))).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves safe keys and plain values as they are, so queries on view fields match stored documents', () => {
    const doc = {
      _id: 'model:m@1',
      runId: 'run:1',
      sliceIds: ['slice:a', 'slice:b'],
      metrics: { accuracy: 0.93, 'val-loss': 0.2 },
      completeness: { data: true, code: false },
      score: null,
    };
    expect(encodeDocument(doc, doc._id)).toEqual(doc);
  });

  it('escapes user keys and wraps nested arrays and NUL strings as documented', () => {
    expect(
      encodeValue({
        'optimizer.lr': 0.01,
        $scale: 2,
        '': 'empty',
        '%x': 1,
        a$b: 3,
        grid: [[1, [2]], []],
        note: 'a\0b%',
      }),
    ).toEqual({
      'optimizer%2Elr': 0.01,
      '%24scale': 2,
      '%': 'empty',
      '%25x': 1,
      a$b: 3,
      grid: [{ '%a': [1, { '%a': [2] }] }, { '%a': [] }],
      note: { '%s': 'a%00b%25' },
    });
  });

  it('keeps user maps that look like the encoding markers apart from them', () => {
    const value = { '%a': [1], '%s': 'x', '%': 0, '%25': '%2E' };
    expect(encodeValue(value)).toEqual({ '%25a': [1], '%25s': 'x', '%25': 0, '%2525': '%2E' });
    expect(decodeValue(encodeValue(value))).toEqual(value);
    expect(decodeValue(encodeValue([{ '%a': [] }]))).toEqual([{ '%a': [] }]);
  });

  it('keeps a user key "__proto__" as a key', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as Record<string, unknown>;
    const decoded = decodeValue(encodeValue(value)) as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(['__proto__', 'y']);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it('stores -0 as 0, as JSON and FerretDB do', () => {
    expect(Object.is(encodeValue(-0), 0)).toBe(true);
    expect(decodeValue(encodeValue({ a: [-0] }))).toEqual({ a: [0] }); // toEqual tells 0 from -0
  });

  it('drops undefined fields as JSON does, and refuses values that are not JSON', () => {
    expect(encodeValue({ a: 1, b: undefined })).toEqual({ a: 1 });
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, undefined, [undefined], new Date(0), 10n, () => 1]) {
      expect(() => encodeValue(value)).toThrow(UnencodableValueError);
    }
  });

  it('keeps the document id as it is and encodes the other fields', () => {
    const stored = encodeDocument({ _id: 'ignored', params: { 'a.b': [[1]] } }, 'node:1');
    expect(stored).toEqual({ _id: 'node:1', params: { 'a%2Eb': [{ '%a': [1] }] } });
    expect(decodeDocument(stored)).toEqual({ _id: 'node:1', params: { 'a.b': [[1]] } });
  });
});
