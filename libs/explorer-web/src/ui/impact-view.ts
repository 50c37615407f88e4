import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { DatasetVersionImpact, PredictionTimeline, SliceImpact } from '@prov/lineage-queries';
import { timelineChart, type TimelineChart } from '../lib/impact/timeline-chart';
import { el } from './dom';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** One colour per model version, in the page's palette, repeated past eight. */
const SERIES_COLOURS = ['#be185d', '#0369a1', '#047857', '#b45309', '#6d28d9', '#4d7c0f', '#1d4ed8', '#7c2d12'];

/**
 * What a slice or dataset version touched: its flags, the model versions
 * trained on it, the deployments that served them, and how many predictions
 * each model version made per hour, day or week (stacked bars, and the same
 * counts as a table: screen readers cannot read a canvas).
 */
export class ImpactView {
  private chart: Chart | undefined;

  constructor(
    private readonly summary: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
    private readonly timelineTable: HTMLTableElement,
    private readonly tables: HTMLElement,
  ) {}

  show(subject: string, impact: SliceImpact | DatasetVersionImpact): void {
    const flags = 'flags' in impact ? impact.flags : [];
    this.summary.replaceChildren(
      el('h2', {}, `Impact of ${subject}`),
      el(
        'p',
        { class: flags.length > 0 ? 'flagged' : '' },
        flags.length > 0
          ? `Flagged: ${flags.map((f) => `${f.reason} (${f.severity}, ${f.event.recordedAt})`).join('; ')}`
          : 'Not flagged',
      ),
      el(
        'p',
        { id: 'impact-totals' },
        `${impact.modelVersions.length} model version(s), ${impact.deployments.length} deployment(s), ${impact.predictions.total} prediction(s)`,
      ),
    );
    const counts = new Map(impact.predictions.byModelVersion.map((m) => [m.id, m]));
    this.tables.replaceChildren(
      el('h3', {}, 'Affected model versions'),
      el(
        'ul',
        { id: 'impact-models' },
        ...impact.modelVersions.map((m) => {
          const made = counts.get(m.id);
          const predictions = made ? `; ${made.count} prediction(s), ${made.firstAt} – ${made.lastAt}` : '';
          return el('li', {}, `${m.id} (run ${m.runId}, as ${m.roles.join(', ')}${predictions})`);
        }),
      ),
      el('h3', {}, 'Affected deployments'),
      el(
        'ul',
        { id: 'impact-deployments' },
        ...impact.deployments.map((d) =>
          el(
            'li',
            {},
            `${d.id} served ${d.modelVersionIds.join(', ')} in ${d.windows.map((w) => `${w.from} – ${w.to ?? 'now'}`).join('; ')}`,
          ),
        ),
      ),
    );
  }

  showTimeline(timeline: PredictionTimeline): void {
    const chart = timelineChart(timeline);
    this.drawChart(chart);
    this.fillTable(chart);
  }

  private drawChart(chart: TimelineChart): void {
    this.chart?.destroy();
    this.chart = new Chart(this.canvas, {
      type: 'bar',
      data: {
        labels: chart.labels,
        datasets: chart.series.map((series, i) => ({
          label: series.modelVersionId,
          data: series.counts,
          backgroundColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
          stack: 'predictions',
          // A lone bucket would otherwise fill the whole width.
          maxBarThickness: 64,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: true },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: 'predictions' },
          },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { footer: (items) => `${chart.totals[items[0]?.dataIndex ?? 0]} in all` } },
        },
      },
    });
  }

  /** The chart's counts, one row per bucket that has predictions. */
  private fillTable(chart: TimelineChart): void {
    this.timelineTable.replaceChildren(
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, chart.bucket),
          ...chart.series.map((s) => el('th', { 'data-model-version': s.modelVersionId }, s.modelVersionId)),
          el('th', {}, 'total'),
        ),
      ),
      el(
        'tbody',
        {},
        ...chart.starts.flatMap((start, i) =>
          chart.totals[i] === 0
            ? []
            : [
                el(
                  'tr',
                  { 'data-start': start },
                  el('th', {}, chart.labels[i]),
                  ...chart.series.map((s) => el('td', { 'data-model-version': s.modelVersionId }, String(s.counts[i]))),
                  el('td', { 'data-total': '' }, String(chart.totals[i])),
                ),
              ],
        ),
      ),
    );
  }
}
