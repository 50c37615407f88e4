import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import type { DataImpact, DatasetVersionImpact, SliceImpact } from '@prov/lineage-queries';
import { MIN_BAR_MS, impactAxis, impactBars } from '../lib/impact/impact-bars';
import { el } from './dom';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const day = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/**
 * What a slice or dataset version touched: its flags, the model versions
 * trained on it, the deployments that served them, and when and how many
 * predictions each model version made (a bar across its prediction window).
 */
export class ImpactView {
  private chart: Chart | undefined;

  constructor(
    private readonly summary: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
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
    this.drawChart(impact);
    this.tables.replaceChildren(
      el('h3', {}, 'Affected model versions'),
      el(
        'ul',
        { id: 'impact-models' },
        ...impact.modelVersions.map((m) => el('li', {}, `${m.id} (run ${m.runId}, as ${m.roles.join(', ')})`)),
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

  private drawChart(impact: DataImpact): void {
    const bars = impactBars(impact);
    this.chart?.destroy();
    this.chart = new Chart(this.canvas, {
      type: 'bar',
      data: {
        labels: bars.map((b) => `${b.modelVersionId} (${b.count})`),
        datasets: [
          {
            label: 'predictions',
            data: bars.map((b) => [b.from, Math.max(b.to, b.from + MIN_BAR_MS)] as [number, number]),
            backgroundColor: '#be185d',
          },
        ],
      },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: {
            type: 'linear',
            beginAtZero: false,
            ...impactAxis(bars),
            ticks: { callback: (value) => day(Number(value)) },
          },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item) => {
                const bar = bars[item.dataIndex];
                return `${bar.count} predictions from ${day(bar.from)} to ${day(bar.to)}`;
              },
            },
          },
        },
      },
    });
  }
}
