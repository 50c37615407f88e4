import type { LineageComparison } from '@prov/lineage-queries';
import { differenceRows, Segment } from '../lib/compare/difference-rows';
import { el } from './dom';

const cell = (segments: Segment[]) =>
  el('td', {}, ...segments.map((s) => (s.changed ? el('mark', {}, s.text) : document.createTextNode(s.text))));

/** Two deployments or model versions side by side: only what differs, the differing part marked. */
export function renderComparison(
  summary: HTMLElement,
  table: HTMLElement,
  left: string,
  right: string,
  comparison: LineageComparison,
): void {
  const rows = differenceRows(comparison);
  summary.replaceChildren(
    el(
      'p',
      { id: 'compare-snapshot', class: comparison.sameDataSnapshot ? 'same' : 'different' },
      comparison.sameDataSnapshot ? 'Same data snapshot' : 'Different data snapshot',
    ),
    el('p', {}, `${rows.length} difference(s) between ${left} and ${right}`),
  );
  table.replaceChildren(
    el('thead', {}, el('tr', {}, el('th', {}, 'field'), el('th', {}, left), el('th', {}, right))),
    el(
      'tbody',
      {},
      ...rows.map((row) =>
        el('tr', { 'data-path': row.path }, el('th', {}, row.path), cell(row.left), cell(row.right)),
      ),
    ),
  );
}
