import fc from 'fast-check';
import { runInNewContext } from 'node:vm';
import { canonicalJson } from './canonical-json';
import { NonCanonicalizableValueError } from './integrity.errors';

const fromBits = (hex: string): number => Buffer.from(hex, 'hex').readDoubleBE(0);

/** The same JSON value with the keys of every object inserted in another order. */
function reorderKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => reorderKeys(item, seed));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const rotated = [...entries.slice(seed % (entries.length || 1)), ...entries.slice(0, seed % (entries.length || 1))];
  return Object.fromEntries((seed % 2 ? rotated.reverse() : rotated).map(([k, v]) => [k, reorderKeys(v, seed + 1)]));
}

describe('canonical JSON (RFC 8785)', () => {
  it('serialises the example of section 3.2.2 exactly', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts property names by UTF-16 code units, as in section 3.2.3', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Spelled out as text: Object.keys would list the integer-like key "1" first whatever the order.
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  // Appendix B: IEEE 754 bit patterns and their canonical text.
  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serialises the number with bits %s as %s (appendix B)', (bits, expected) => {
    expect(canonicalJson(fromBits(bits))).toBe(expected);
    expect(canonicalJson([fromBits(bits)])).toBe(`[${expected}]`);
  });

  it.each([
    ['7fffffffffffffff', 'NaN'],
    ['7ff0000000000000', 'Infinity'],
    ['fff0000000000000', '-Infinity'],
  ])('refuses the number with bits %s (%s), as appendix B requires', (bits, name) => {
    expect(() => canonicalJson(fromBits(bits))).toThrow(
      new NonCanonicalizableValueError('$', `${name} is not a JSON number`),
    );
  });

  const holey: number[] = [1];
  holey[2] = 3;

  class WithToJson {
    toJSON() {
      return 'looks like JSON';
    }
  }

  it.each([
    ['NaN', { a: { b: [0, 1, NaN] } }, '$.a.b[2]'],
    ['Infinity', [1, Infinity], '$[1]'],
    ['undefined', { a: { b: undefined } }, '$.a.b'],
    ['a hole in an array', { list: holey }, '$.list[1]'],
    ['a function', { f: () => 1 }, '$.f'],
    ['a toJSON method on a plain object', { at: { toJSON: () => 'x' } }, '$.at.toJSON'],
    ['a symbol', { s: Symbol('s') }, '$.s'],
    ['a symbol-keyed property', { o: { [Symbol('k')]: 1 } }, '$.o'],
    ['a bigint', { n: 1n }, '$.n'],
    ['a Date', { at: new Date(0) }, '$.at'],
    ['a Map', { m: new Map() }, '$.m'],
    ['a class instance with toJSON', [new WithToJson()], '$[0]'],
    ['a boxed number', { n: new Number(1) }, '$.n'],
    ['a typed array', { bytes: new Uint8Array(2) }, '$.bytes'],
    ['a lone surrogate in a string', { s: 'a\ud800b' }, '$.s'],
    ['a lone surrogate in a property name', { o: { '\udc00': 1 } }, '$.o["\\udc00"]'],
    ['a value under a name that is not an identifier', { 'a b': [{ 'c-d': undefined }] }, '$["a b"][0]["c-d"]'],
  ])('refuses %s, naming where it is', (_name, value, path) => {
    expect(() => canonicalJson(value)).toThrow(NonCanonicalizableValueError);
    expect(() => canonicalJson(value)).toThrow(`${path}: `);
  });

  it('refuses a structure that contains itself, but not an object shared by two branches', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop['self'] = { back: loop };
    expect(() => canonicalJson(loop)).toThrow(new NonCanonicalizableValueError('$.self.back', 'circular reference'));
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });

  it('accepts objects without a prototype, and arrays and objects of another realm', () => {
    const bare = Object.assign(Object.create(null) as object, { b: 2, a: 1 });
    expect(canonicalJson(bare)).toBe('{"a":1,"b":2}');
    expect(canonicalJson(runInNewContext('({ b: [1, { d: null, c: true }], a: "x" })'))).toBe(
      '{"a":"x","b":[1,{"c":true,"d":null}]}',
    );
    expect(canonicalJson(structuredClone({ list: [1, 2] }))).toBe('{"list":[1,2]}');
  });

  it('refuses subclasses of Array', () => {
    class Parts extends Array<number> {}
    expect(() => canonicalJson({ parts: Parts.from([1]) })).toThrow(
      new NonCanonicalizableValueError('$.parts', 'not a plain array'),
    );
  });

  it('walks deep nesting without overflowing the stack', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(canonicalJson(deep)).toHaveLength(200_001);
  });

  it('is a fixed point: parsing and canonicalising again gives the same text', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        const once = canonicalJson(value);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
      }),
    );
  });

  it('does not depend on the order properties were inserted in', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), fc.nat(), (value, seed) => {
        expect(canonicalJson(reorderKeys(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });
});
