import type { DataImpact } from '@prov/lineage-queries';

/** One model version's predictions on the impact chart: a bar across the time it made them. */
export interface ImpactBar {
  modelVersionId: string;
  count: number;
  /** Epoch milliseconds of its first and last prediction. */
  from: number;
  to: number;
}

/**
 * The impact chart's bars, earliest first: the gateway keeps, per model
 * version, how many predictions it made and the first and last of them, so
 * the chart shows those windows on a time axis, labelled with the counts.
 */
export function impactBars(impact: DataImpact): ImpactBar[] {
  return impact.predictions.byModelVersion
    .map(({ id, count, firstAt, lastAt }) => ({
      modelVersionId: id,
      count,
      from: Date.parse(firstAt),
      to: Date.parse(lastAt),
    }))
    .filter((bar) => bar.count > 0 && Number.isFinite(bar.from) && Number.isFinite(bar.to))
    .sort((a, b) => a.from - b.from || a.modelVersionId.localeCompare(b.modelVersionId));
}

/** The chart's time axis: the bars' span with a margin, so that a window of minutes is not lost in a scale from 1970. */
export function impactAxis(bars: readonly ImpactBar[]): { min: number; max: number } | undefined {
  if (bars.length === 0) return undefined;
  const from = Math.min(...bars.map((b) => b.from));
  const to = Math.max(...bars.map((b) => b.to));
  const margin = Math.max((to - from) * 0.05, MIN_BAR_MS);
  return { min: from - margin, max: to + margin };
}

/** A bar is at least a minute wide, so that a model version that predicted once still shows. */
export const MIN_BAR_MS = 60_000;
