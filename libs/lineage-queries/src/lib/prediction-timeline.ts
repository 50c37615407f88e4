import type { HourCount } from '@prov/projections';
import { codeUnitOrder } from './ordering';

export const TIMELINE_BUCKETS = ['hour', 'day', 'week'] as const;
/** UTC hours, UTC days, or ISO weeks (Monday 00:00 UTC to the next Monday). */
export type TimelineBucket = (typeof TIMELINE_BUCKETS)[number];

export interface TimelinePoint {
  /** The bucket's first instant, `toISOString()` form. */
  start: string;
  count: number;
}

export interface PredictionTimeline {
  bucket: TimelineBucket;
  total: number;
  /** Every model version's predictions together, by bucket; buckets without predictions are left out. */
  buckets: TimelinePoint[];
  byModelVersion: Array<{ id: string; count: number; buckets: TimelinePoint[] }>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}$/;

/** The start of the bucket an hour (`2026-11-05T10`, as batches keep them) falls in, in epoch milliseconds. */
export function bucketStart(hour: string, bucket: TimelineBucket): number {
  const at = HOUR.test(hour) ? Date.parse(`${hour}:00:00.000Z`) : Number.NaN;
  if (!Number.isFinite(at)) throw new RangeError(`not an hour of a prediction batch: ${JSON.stringify(hour)}`);
  if (bucket === 'hour') return at;
  const day = Math.floor(at / DAY_MS) * DAY_MS;
  if (bucket === 'day') return day;
  // getUTCDay counts from Sunday; ISO weeks start on Monday.
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
}

/**
 * Sums the hourly counts of prediction batches into a timeline: per model
 * version and in total, the predictions of each bucket. Exact because every
 * batch counted each prediction in the hour of its own time, and hours nest
 * in days and weeks.
 */
export class TimelineTally {
  /** Per model version, per bucket start, the count. */
  private readonly counts = new Map<string, Map<number, number>>();

  constructor(readonly bucket: TimelineBucket) {}

  add(modelVersionId: string, hours: readonly HourCount[]): void {
    const byStart = this.counts.get(modelVersionId) ?? new Map<number, number>();
    for (const { hour, count } of hours) {
      const start = bucketStart(hour, this.bucket);
      byStart.set(start, (byStart.get(start) ?? 0) + count);
    }
    this.counts.set(modelVersionId, byStart);
  }

  timeline(): PredictionTimeline {
    const all = new Map<number, number>();
    const byModelVersion = [...this.counts]
      .map(([id, byStart]) => {
        for (const [start, count] of byStart) all.set(start, (all.get(start) ?? 0) + count);
        const buckets = points(byStart);
        return { id, count: buckets.reduce((sum, point) => sum + point.count, 0), buckets };
      })
      .filter((model) => model.count > 0)
      .sort((a, b) => codeUnitOrder(a.id, b.id));
    return {
      bucket: this.bucket,
      total: byModelVersion.reduce((sum, model) => sum + model.count, 0),
      buckets: points(all),
      byModelVersion,
    };
  }
}

function points(byStart: Map<number, number>): TimelinePoint[] {
  return [...byStart]
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a - b)
    .map(([start, count]) => ({ start: new Date(start).toISOString(), count }));
}
