import { EVENT_CATALOG, type EventType } from '@prov/contracts';
import { digestOf } from '@prov/integrity';
import { isSealedValue } from './sealed-values';

/** What stands in for a sensitive value: its digest still matches the one a verifier recomputes. */
export interface RedactedValue {
  redacted: true;
  digest: string;
  /** Set when the value was sealed for a data subject whose keys were destroyed: no one can see it any more. */
  erased?: true;
}

/**
 * A copy of `value` (a payload of `type`, or one element of its payload's
 * `elementsOf` array) with every value at the type's sensitive paths replaced
 * by its digest. Paths absent (or null) in the value are left as they are.
 */
export function redactSensitive<T extends object>(type: EventType, value: T, elementsOf?: string): T {
  const prefix = elementsOf === undefined ? '' : `${elementsOf}[].`;
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const path of EVENT_CATALOG[type].sensitivePaths) {
    if (path.startsWith(prefix)) redactAt(copy, path.slice(prefix.length).split('.'));
  }
  return copy as T;
}

export function redacted(value: unknown): RedactedValue {
  // A sealed value stands for the value it seals: it is shown as that value's digest.
  return { redacted: true, digest: isSealedValue(value) ? value.digest : digestOf(value) };
}

export function isRedactedValue(value: unknown): value is RedactedValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as RedactedValue).redacted === true &&
    typeof (value as RedactedValue).digest === 'string'
  );
}

function redactAt(target: unknown, segments: string[]): void {
  if (target === null || typeof target !== 'object') return;
  const [segment, ...rest] = segments;
  const each = segment.endsWith('[]');
  const key = each ? segment.slice(0, -2) : segment;
  const holder = target as Record<string, unknown>;
  // Null stands for "not known yet" in the views: there is no value to hide.
  if (holder[key] === undefined || holder[key] === null) return;
  if (each) {
    const elements = holder[key];
    if (!Array.isArray(elements)) return;
    if (rest.length === 0) holder[key] = elements.map(redacted);
    else for (const element of elements) redactAt(element, rest);
    return;
  }
  if (rest.length === 0) holder[key] = redacted(holder[key]);
  else redactAt(holder[key], rest);
}
