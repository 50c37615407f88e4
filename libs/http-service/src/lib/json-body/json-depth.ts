import { visit } from 'jsonc-parser';
/**
 * How deep a request body may nest. The stores refuse documents nested over
 * 100 levels, and views wrap a body's user maps in a few levels of their own;
 * recursive validators overflow the stack long before 10,000 levels.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether JSON text nests deeper than `maxDepth`, from one pass over its
 * characters (strings skipped): cheap beside parsing, so every body is checked
 * before anything recursive sees it.
 */
export function nestsDeeperThan(text: string, maxDepth: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

/**
 * The path of the first value nested deeper than `maxDepth` (the top-level
 * value is at depth 1), or undefined when the value is shallower.
 */
export function pathBeyondDepth(value: unknown, maxDepth: number = MAX_JSON_DEPTH): string | undefined {
  return firstPath(value, (_key, node, depth) => node !== null && typeof node === 'object' && depth > maxDepth);
}

/**
 * The path of the first `__proto__` key, or `constructor` key holding a
 * `prototype`: what Fastify refuses as prototype poisoning, without saying where.
 */
export function pathOfPrototypeKey(value: unknown): string | undefined {
  return firstPath(
    value,
    (key, node) =>
      key === '__proto__' ||
      (key === 'constructor' && node !== null && typeof node === 'object' && Object.hasOwn(node, 'prototype')),
  );
}

/**
 * The path of the first member, in document order, that `found` picks out.
 * Walks iteratively, so no nesting can overflow the stack here.
 */
function firstPath(
  value: unknown,
  found: (key: string | undefined, node: unknown, depth: number) => boolean,
): string | undefined {
  const pending: Array<{ key?: string; value: unknown; depth: number; path: string }> = [{ value, depth: 1, path: '' }];
  while (pending.length > 0) {
    const next = pending.pop() as { key?: string; value: unknown; depth: number; path: string };
    if (found(next.key, next.value, next.depth)) return next.path || '(body)';
    if (next.value === null || typeof next.value !== 'object') continue;
    const entries: Array<[string | undefined, string, unknown]> = Array.isArray(next.value)
      ? next.value.map((item, i) => [undefined, `[${i}]`, item])
      : Object.entries(next.value).map(([key, item]) => [key, memberPath(key), item]);
    // Reversed, so that the walk visits members in order and reports the first match.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, member, item] = entries[i];
      pending.push({ key, value: item, depth: next.depth + 1, path: joinPath(next.path, member) });
    }
  }
  return undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const memberPath = (key: string): string => (IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
const joinPath = (parent: string, member: string): string =>
  parent === '' && member.startsWith('.') ? member.slice(1) : parent + member;

/**
 * The path of the first key an object of the JSON text names twice
 * (`{"deployment":"a","deployment":"b"}`), escapes resolved: parsers differ on
 * which of the two counts, and a provenance record must not be ambiguous.
 */
export function pathOfDuplicateKey(text: string): string | undefined {
  const keysOfOpenObjects: Array<Set<string>> = [];
  let found: string | undefined;
  visit(
    text,
    {
      onObjectBegin: () => void keysOfOpenObjects.push(new Set()),
      onObjectEnd: () => void keysOfOpenObjects.pop(),
      onObjectProperty: (key, _offset, _length, _line, _column, pathSupplier) => {
        const keys = keysOfOpenObjects[keysOfOpenObjects.length - 1];
        if (found === undefined && keys.has(key)) {
          found = [...pathSupplier(), key].reduce<string>(
            (path, step) => joinPath(path, typeof step === 'number' ? `[${step}]` : memberPath(step)),
            '',
          );
        }
        keys.add(key);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return found;
}
