import {
  type EdgeDocument,
  type EdgeRelation,
  type NodeDocument,
  type NodeKind,
  type ViewReader,
} from '@prov/projections';
import { InvalidGraphQueryError } from './lineage-query.errors';
import { codeUnitOrder } from './ordering';

export type GraphDirection = 'upstream' | 'downstream' | 'both';

export interface GraphQuery {
  direction: GraphDirection;
  depth: number;
  maxNodes: number;
}

export interface GraphNode {
  id: string;
  /** `unknown` only for an id of no known kind (never produced by our services). */
  kind: NodeKind | 'unknown';
  label: string;
  /** False for an entity named by a link whose own definition has not arrived. */
  known: boolean;
  /** A flagged slice or a revoked model version, for the view to highlight. */
  attention: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  rel: EdgeRelation;
  attrs?: Record<string, unknown>;
}

export interface LineageGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** True when `maxNodes` left reachable nodes out. */
  truncated: boolean;
}

const ID_PREFIXES: Record<string, NodeKind> = {
  dataset: 'dataset',
  dsv: 'dataset-version',
  slice: 'slice',
  pipeline: 'pipeline',
  run: 'run',
  eval: 'evaluation',
  model: 'model-version',
  deployment: 'deployment',
  job: 'job',
};

/**
 * Breadth-first walk of `nodes`/`edges` from `nodeId`, one indexed edge query
 * and one batched node read per level and direction. Edges point from what
 * depends to what it depends on, so upstream follows `from -> to`. `both`
 * walks each direction on its own: siblings (another model of the same run)
 * are neither upstream nor downstream. Undefined when nothing names the node.
 */
export async function lineageGraph(
  views: ViewReader,
  nodeId: string,
  { direction, depth, maxNodes }: GraphQuery,
): Promise<LineageGraph | undefined> {
  if (!Number.isInteger(depth) || depth < 0) throw new InvalidGraphQueryError('depth', depth);
  if (!Number.isInteger(maxNodes) || maxNodes < 1) throw new InvalidGraphQueryError('maxNodes', maxNodes);
  const walks = (direction === 'both' ? ['upstream', 'downstream'] : [direction]) as Array<'upstream' | 'downstream'>;
  const included = new Set([nodeId]);
  const edges = new Map<string, EdgeDocument>();
  const frontiers = new Map(walks.map((walk) => [walk, [nodeId]]));
  let truncated = false;
  let linked = false;
  for (let level = 0; level < depth; level += 1) {
    for (const walk of walks) {
      const frontier = frontiers.get(walk) ?? [];
      if (frontier.length === 0) continue;
      const found = (await views.find('edges', {
        where: { [walk === 'upstream' ? 'from' : 'to']: { in: frontier } },
        sort: [['_id', 1]],
      })) as EdgeDocument[];
      linked ||= found.length > 0;
      const next: string[] = [];
      for (const edge of found) {
        const neighbour = walk === 'upstream' ? edge.to : edge.from;
        if (!included.has(neighbour)) {
          if (included.size >= maxNodes) {
            truncated = true;
            continue;
          }
          included.add(neighbour);
          next.push(neighbour);
        }
        edges.set(edge._id, edge);
      }
      frontiers.set(walk, next);
    }
  }
  const nodes = await views.get('nodes', [...included]);
  if (!nodes.has(nodeId) && !linked) return undefined;
  return {
    nodes: [...included].sort(codeUnitOrder).map((id) => graphNode(id, nodes.get(id) as NodeDocument | undefined)),
    edges: [...edges.values()].map(({ from, to, rel, attrs }) => ({ from, to, rel, ...(attrs ? { attrs } : {}) })),
    truncated,
  };
}

function graphNode(id: string, node: NodeDocument | undefined): GraphNode {
  const prefix = id.slice(0, id.indexOf(':'));
  const kind = node?.kind ?? ID_PREFIXES[prefix] ?? 'unknown';
  const attention =
    Object.keys(node?.['flags'] ?? {}).length > 0 || Object.keys(node?.['revocations'] ?? {}).length > 0;
  // A run or job known from OpenLineage has its RunEvents rather than a definition.
  const known = node?.definition !== undefined || Object.keys(node?.['openlineage'] ?? {}).length > 0;
  return { id, kind, label: labelOf(id, prefix), known, attention };
}

/** The id without its kind prefix; content digests shortened to 12 hex digits. */
function labelOf(id: string, prefix: string): string {
  const rest = id.slice(prefix.length + 1);
  return rest.startsWith('sha256:') ? rest.slice(0, 'sha256:'.length + 12) : rest;
}
