import { MAX_JSON_DEPTH, nestsDeeperThan, pathBeyondDepth, pathOfDuplicateKey, pathOfPrototypeKey } from './json-depth';

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

describe('pathBeyondDepth', () => {
  it('accepts scalars and values nested up to the limit', () => {
    expect(pathBeyondDepth('x')).toBeUndefined();
    expect(pathBeyondDepth(null)).toBeUndefined();
    expect(pathBeyondDepth(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(pathBeyondDepth({ a: [[1]] }, 3)).toBeUndefined();
  });

  it('names the path of the first value one level too deep', () => {
    expect(pathBeyondDepth(nested(MAX_JSON_DEPTH + 1, {}))).toBe(Array(MAX_JSON_DEPTH).fill('a').join('.'));
    expect(pathBeyondDepth({ ok: 1, list: [{ 'a.b': { $gt: {} } }] }, 3)).toBe('list[0]["a.b"]');
    expect(pathBeyondDepth([[[]]], 2)).toBe('[0][0]');
    expect(pathBeyondDepth({}, 0)).toBe('(body)');
  });

  it('reports the first offender in document order', () => {
    expect(pathBeyondDepth({ first: { x: {} }, second: { y: {} } }, 2)).toBe('first.x');
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    let deep: unknown[] = [];
    const top = deep;
    for (let i = 0; i < 100_000; i++) {
      const inner: unknown[] = [];
      deep.push(inner);
      deep = inner;
    }
    expect(pathBeyondDepth(top, 2)).toBe('[0][0]');
  });
});

describe('nestsDeeperThan', () => {
  it('counts the nesting of objects and arrays, not brackets inside strings', () => {
    expect(nestsDeeperThan('{"a":[1,{"b":2}]}', 3)).toBe(false);
    expect(nestsDeeperThan('{"a":[1,{"b":[]}]}', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[{{{{"}', 1)).toBe(false);
    expect(nestsDeeperThan('{"a":"\\"[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan('[[],[],[]]', 2)).toBe(false);
    expect(nestsDeeperThan('42', 0)).toBe(false);
  });

  it('agrees with pathBeyondDepth on the same values', () => {
    for (const value of [{ a: { b: { c: {} } } }, [1, [2, [3, [4]]]], { 'x"[': ['{'] }, 'text']) {
      for (const max of [1, 2, 3, 4, 5]) {
        expect(nestsDeeperThan(JSON.stringify(value), max)).toBe(pathBeyondDepth(value, max) !== undefined);
      }
    }
  });
});

describe('pathOfPrototypeKey', () => {
  it('names the first __proto__ key, or constructor key holding a prototype, and nothing else', () => {
    expect(pathOfPrototypeKey(JSON.parse('{"a": [1, {"__proto__": {}}]}'))).toBe('a[1].__proto__');
    expect(pathOfPrototypeKey(JSON.parse('{"x": {"constructor": {"prototype": 1}}}'))).toBe('x.constructor');
    expect(pathOfPrototypeKey({ constructor: 'a string', proto: 1, 'a.__proto__': 2 })).toBeUndefined();
  });
});

describe('pathOfDuplicateKey', () => {
  it('finds nothing in JSON whose objects name each key once', () => {
    expect(pathOfDuplicateKey('{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}')).toBeUndefined();
    expect(pathOfDuplicateKey('[1,"a","a"]')).toBeUndefined();
  });

  it('names the path of the first key an object names twice, at any depth', () => {
    expect(pathOfDuplicateKey('{"deployment":"a","deployment":"b"}')).toBe('deployment');
    expect(pathOfDuplicateKey('{"predictions":[{"id":"x"},{"id":"y","at":1,"at":2}]}')).toBe('predictions[1].at');
    expect(pathOfDuplicateKey('{"labels":{"a.b":1,"a.b":2}}')).toBe('labels["a.b"]');
  });

  it('compares keys with their escapes resolved', () => {
    expect(pathOfDuplicateKey('{"a":1,"\\u0061":2}')).toBe('a');
  });
});
