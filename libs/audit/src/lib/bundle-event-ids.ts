/**
 * Every event id a set of view documents (or a trace) refers to: the events
 * each of their facts was folded from, found as `eventId` fields at any
 * depth. A bundle carries all of them, so its trace can be folded again.
 */
export function eventIdsIn(...values: unknown[]): string[] {
  const ids = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'eventId' && typeof inner === 'string') ids.add(inner);
        else visit(inner);
      }
    }
  };
  values.forEach(visit);
  return [...ids].sort();
}
