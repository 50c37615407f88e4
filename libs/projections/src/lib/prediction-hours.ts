import { compareText } from './ordering';

/** How many of a batch's predictions fall in one UTC hour, named like `2026-11-05T10`. */
export interface HourCount {
  hour: string;
  count: number;
}

/**
 * A batch's predictions counted by the UTC hour of each one's own `at`,
 * earliest hour first. Computed from the event alone, so a redelivered batch
 * rewrites the same histogram; the key holds neither `.` nor `$`, and the
 * list is an array of objects, which FerretDB v1 stores and queries.
 */
export function predictionHours(times: readonly string[]): HourCount[] {
  const counts = new Map<string, number>();
  for (const at of times) {
    const hour = hourOf(at);
    counts.set(hour, (counts.get(hour) ?? 0) + 1);
  }
  // ISO hours of one width sort as text in time order.
  return [...counts].sort(([a], [b]) => compareText(a, b)).map(([hour, count]) => ({ hour, count }));
}

/** The UTC hour of an instant, named like `2026-11-05T10`. */
export function hourOf(at: string): string {
  return new Date(Date.parse(at)).toISOString().slice(0, 13);
}
