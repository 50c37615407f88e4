import type { PredictionTimeline, TimelineBucket } from '@prov/lineage-queries';

/** The impact chart: one stacked bar per time bucket, one stack segment per model version. */
export interface TimelineChart {
  bucket: TimelineBucket;
  /** The bucket starts along the axis, earliest first (ISO instants, as the gateway names them). */
  starts: string[];
  labels: string[];
  /** Per model version, its count in each bucket of `starts`. */
  series: Array<{ modelVersionId: string; counts: number[] }>;
  /** All model versions together, per bucket. */
  totals: number[];
}

/** Beyond this many buckets the axis keeps only those with predictions: a year of hours is no chart. */
export const MAX_AXIS_BUCKETS = 500;

const BUCKET_MS: Record<TimelineBucket, number> = { hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

/**
 * The chart of a timeline answer. Empty buckets between the first and the
 * last are put back on the axis (the gateway leaves them out), so that bar
 * spacing is time; UTC buckets have a fixed length, so stepping is exact.
 */
export function timelineChart(timeline: PredictionTimeline): TimelineChart {
  const { bucket } = timeline;
  const starts = axisOf(
    timeline.buckets.map((point) => Date.parse(point.start)),
    BUCKET_MS[bucket],
  ).map((ms) => new Date(ms).toISOString());
  const index = new Map(starts.map((start, i) => [start, i]));
  const countsOf = (points: PredictionTimeline['buckets']) => {
    const counts = starts.map(() => 0);
    for (const point of points) {
      const at = index.get(point.start);
      if (at !== undefined) counts[at] = point.count;
    }
    return counts;
  };
  return {
    bucket,
    starts,
    labels: starts.map((start) => bucketLabel(start, bucket)),
    series: timeline.byModelVersion.map((model) => ({ modelVersionId: model.id, counts: countsOf(model.buckets) })),
    totals: countsOf(timeline.buckets),
  };
}

function axisOf(starts: number[], step: number): number[] {
  if (starts.length === 0) return [];
  const first = starts[0];
  const last = starts[starts.length - 1];
  const span = Math.round((last - first) / step) + 1;
  if (span > MAX_AXIS_BUCKETS) return starts;
  return Array.from({ length: span }, (_, i) => first + i * step);
}

/** `2026-11-05 10:00`, `2026-11-05`, or `week of 2026-11-02` (ISO weeks start on Monday). */
export function bucketLabel(start: string, bucket: TimelineBucket): string {
  const text = start.replace('T', ' ');
  if (bucket === 'hour') return text.slice(0, 16);
  if (bucket === 'day') return text.slice(0, 10);
  return `week of ${text.slice(0, 10)}`;
}
