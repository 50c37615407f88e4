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
