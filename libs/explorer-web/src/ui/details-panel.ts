import type { ExplorerNode } from '../lib/graph/explorer-graph';
import { el } from './dom';

export interface NodeActions {
  expand(node: ExplorerNode, direction: 'upstream' | 'downstream'): void;
  impact(node: ExplorerNode): void;
  compare(node: ExplorerNode): void;
}

const isRedacted = (value: unknown): value is { redacted: true; digest: string } =>
  typeof value === 'object' && value !== null && (value as { redacted?: unknown }).redacted === true;

/** A value of a node's details: nested objects as nested tables, redacted values as their digest. */
function rendered(value: unknown): Node {
  if (isRedacted(value)) return el('span', { class: 'redacted' }, `redacted (${value.digest})`);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null))
      return document.createTextNode(value.map(String).join(', ') || '—');
    return el('ol', {}, ...value.map((v) => el('li', {}, rendered(v))));
  }
  if (typeof value === 'object' && value !== null) return table(value as Record<string, unknown>);
  return document.createTextNode(value === null || value === undefined ? '—' : String(value));
}

function table(fields: Record<string, unknown>): HTMLTableElement {
  return el(
    'table',
    { class: 'fields' },
    el(
      'tbody',
      {},
      ...Object.entries(fields).map(([key, value]) =>
        el('tr', { 'data-field': key }, el('th', {}, key), el('td', {}, rendered(value))),
      ),
    ),
  );
}

/** The selected node's details (digests, hyperparameters, seeds, metrics, labels) and what can be done from it. */
export function renderDetails(
  panel: HTMLElement,
  node: ExplorerNode,
  details: Record<string, unknown>,
  actions: NodeActions,
): void {
  const button = (label: string, action: () => void) => {
    const b = el('button', { type: 'button' }, label);
    b.addEventListener('click', action);
    return b;
  };
  const buttons = [
    button('Expand upstream', () => actions.expand(node, 'upstream')),
    button('Expand downstream', () => actions.expand(node, 'downstream')),
  ];
  if (node.kind === 'slice' || node.kind === 'dataset-version')
    buttons.push(button('Show impact', () => actions.impact(node)));
  if (node.kind === 'model-version' || node.kind === 'deployment')
    buttons.push(button('Compare…', () => actions.compare(node)));
  panel.replaceChildren(
    el('h2', {}, node.id),
    el(
      'p',
      { class: 'kind' },
      node.kind,
      node.attention ? ' — needs attention' : '',
      node.known ? '' : ' — not defined yet',
    ),
    el('div', { class: 'actions' }, ...buttons),
    table(details),
  );
}
