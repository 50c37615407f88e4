/** Where two JSON values first differ: the path (`a.b[2].c`), and the value on each side (undefined: absent). */
export interface JsonDifference {
  path: string;
  expected: unknown;
  found: unknown;
}

/**
 * The first difference between two JSON values, walking objects in the
 * expected value's key order (then keys only the found value has) and
 * arrays by position. Key order never counts as a difference.
 */
export function firstDifference(expected: unknown, found: unknown, path = ''): JsonDifference | undefined {
  if (Array.isArray(expected) && Array.isArray(found)) {
    for (let i = 0; i < Math.max(expected.length, found.length); i++) {
      const difference = firstDifference(expected[i], found[i], `${path}[${i}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (isObject(expected) && isObject(found)) {
    const keys = [...Object.keys(expected), ...Object.keys(found).filter((k) => !(k in expected))];
    for (const key of keys) {
      const difference = firstDifference(expected[key], found[key], path === '' ? key : `${path}.${key}`);
      if (difference) return difference;
    }
    return undefined;
  }
  return Object.is(expected, found) ? undefined : { path: path === '' ? '$' : path, expected, found };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
