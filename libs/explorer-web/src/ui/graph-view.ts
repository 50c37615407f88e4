import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import type { ExplorerGraph, ExplorerNode } from '../lib/graph/explorer-graph';
import { el } from './dom';

cytoscape.use(dagre);

const KIND_COLOURS: Record<string, string> = {
  prediction: '#6d28d9',
  deployment: '#0369a1',
  'model-version': '#047857',
  run: '#b45309',
  pipeline: '#4d7c0f',
  slice: '#be185d',
  'dataset-version': '#1d4ed8',
  dataset: '#334155',
  evaluation: '#7c2d12',
  job: '#a16207',
  unknown: '#6b7280',
};

/**
 * The lineage graph, laid out in layers (dagre) from the prediction down to
 * the data. Beside the canvas, the same nodes as a list of buttons: screen
 * readers and keyboards cannot reach into a canvas.
 */
export class GraphView {
  private readonly cy: cytoscape.Core;
  private graph: ExplorerGraph = { nodes: [], edges: [] };

  constructor(
    container: HTMLElement,
    private readonly list: HTMLElement,
    private readonly onSelect: (node: ExplorerNode) => void,
  ) {
    this.cy = cytoscape({
      container,
      wheelSensitivity: 0.3,
      style: [
        {
          selector: 'node',
          style: {
            'background-color': (n: cytoscape.NodeSingular) => KIND_COLOURS[n.data('kind') as string] ?? '#6b7280',
            label: 'data(label)',
            color: '#111827',
            'font-size': 11,
            'text-wrap': 'wrap',
            'text-max-width': '160px',
            'text-valign': 'bottom',
            'text-margin-y': 4,
            width: 26,
            height: 26,
          },
        },
        {
          selector: 'node[!known]',
          style: { 'border-width': 2, 'border-style': 'dashed', 'border-color': '#6b7280', 'background-opacity': 0.35 },
        },
        { selector: 'node[?attention]', style: { 'border-width': 4, 'border-color': '#dc2626' } },
        {
          selector: 'node:selected',
          style: { 'overlay-color': '#f59e0b', 'overlay-opacity': 0.35, 'overlay-padding': 6 },
        },
        {
          selector: 'edge',
          style: {
            width: 1.5,
            'line-color': '#9ca3af',
            'target-arrow-color': '#9ca3af',
            'target-arrow-shape': 'triangle',
            'curve-style': 'bezier',
            label: 'data(rel)',
            'font-size': 9,
            color: '#6b7280',
            'text-rotation': 'autorotate',
          },
        },
      ],
    });
    this.cy.on('tap', 'node', (event) => {
      const node = this.graph.nodes.find((n) => n.id === event.target.id());
      if (node) this.select(node);
    });
  }

  get shown(): ExplorerGraph {
    return this.graph;
  }

  show(graph: ExplorerGraph): void {
    this.graph = graph;
    this.cy.elements().remove();
    this.cy.add([
      ...graph.nodes.map((n) => ({
        group: 'nodes' as const,
        data: { id: n.id, label: n.label.replace(' (', '\n('), kind: n.kind, known: n.known, attention: n.attention },
      })),
      ...graph.edges.map((e) => ({
        group: 'edges' as const,
        data: { id: e.id, source: e.from, target: e.to, rel: e.rel },
      })),
    ]);
    this.cy
      .layout({ name: 'dagre', rankDir: 'TB', nodeSep: 140, rankSep: 80, padding: 20 } as cytoscape.LayoutOptions)
      .run();
    this.list.replaceChildren(
      ...graph.nodes.map((n) => {
        const button = el(
          'button',
          { type: 'button', 'data-node-id': n.id, 'data-kind': n.kind },
          `${n.kind}: ${n.label}`,
        );
        if (n.attention) button.classList.add('attention');
        if (!n.known) button.classList.add('unknown');
        button.addEventListener('click', () => this.select(n));
        return el('li', {}, button);
      }),
    );
  }

  private select(node: ExplorerNode): void {
    this.cy.elements().unselect();
    this.cy.getElementById(node.id).select();
    for (const button of this.list.querySelectorAll('button'))
      button.setAttribute('aria-pressed', String(button.dataset['nodeId'] === node.id));
    this.onSelect(node);
  }
}
