import canonicalize from 'canonicalize';
import { NonCanonicalizableValueError } from './integrity.errors';

/**
 * RFC 8785 (JSON Canonicalization Scheme): keys sorted by UTF-16 code units,
 * numbers in ECMAScript's shortest round-trip form, no whitespace. Strict:
 * only plain JSON is accepted, since whatever JSON.stringify would silently
 * drop or coerce (undefined, functions, NaN, Dates, toJSON...) would make a
 * digest cover something other than the value the caller holds.
 */
export function canonicalJson(value: unknown): string {
  assertPlainJson(value);
  // Never undefined here: the value was just checked to be JSON.
  return canonicalize(value) as string;
}

/** Where a value sits, linked to its parent so that a path costs nothing until one is reported. */
interface Location {
  parent: Location | undefined;
  key: string | number;
}

type Task = { value: unknown; at: Location | undefined } | { leave: object };

/**
 * Depth-first walk with an explicit stack, so that hostile nesting cannot
 * overflow the call stack. Only the containers being walked count as
 * ancestors: the same object under two keys is fine, an object inside
 * itself is not.
 */
function assertPlainJson(root: unknown): void {
  const ancestors = new Set<object>();
  const tasks: Task[] = [{ value: root, at: undefined }];
  while (tasks.length > 0) {
    const task = tasks.pop() as Task;
    if ('leave' in task) {
      ancestors.delete(task.leave);
      continue;
    }
    const { value, at } = task;
    switch (typeof value) {
      case 'boolean':
        continue;
      case 'string':
        if (!value.isWellFormed()) throw notJson(at, 'string contains a lone surrogate');
        continue;
      case 'number':
        if (!Number.isFinite(value)) throw notJson(at, `${value} is not a JSON number`);
        continue;
      case 'object':
        break;
      default:
        throw notJson(at, `${typeof value} is not JSON`);
    }
    if (value === null) continue;
    if (ancestors.has(value)) throw notJson(at, 'circular reference');
    if (Array.isArray(value)) {
      // Array.prototype is itself an array: this accepts arrays of any realm (structuredClone, vm) and refuses subclasses.
      if (!Array.isArray(Object.getPrototypeOf(value))) throw notJson(at, 'not a plain array');
      ancestors.add(value);
      tasks.push({ leave: value });
      // Holes read as undefined and are refused like undefined.
      for (let i = value.length - 1; i >= 0; i--) tasks.push({ value: value[i], at: { parent: at, key: i } });
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    const plain =
      (proto === null || Object.getPrototypeOf(proto) === null) &&
      Object.prototype.toString.call(value) === '[object Object]';
    if (!plain) {
      const kind = (proto as { constructor?: { name?: string } } | null)?.constructor?.name || 'object';
      throw notJson(at, `${kind} is not a plain JSON object`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) throw notJson(at, 'symbol-keyed property is not JSON');
    ancestors.add(value);
    tasks.push({ leave: value });
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    for (let i = keys.length - 1; i >= 0; i--) {
      const child = { parent: at, key: keys[i] };
      if (!keys[i].isWellFormed()) throw notJson(child, 'property name contains a lone surrogate');
      tasks.push({ value: record[keys[i]], at: child });
    }
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function notJson(at: Location | undefined, problem: string): NonCanonicalizableValueError {
  const steps: string[] = [];
  for (let step = at; step; step = step.parent) {
    const { key } = step;
    steps.push(typeof key === 'number' ? `[${key}]` : IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
  }
  return new NonCanonicalizableValueError(`$${steps.reverse().join('')}`, problem);
}
