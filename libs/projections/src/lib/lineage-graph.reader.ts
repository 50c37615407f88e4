import type { EdgeDocument, EdgeRelation, NodeDocument } from './lineage-graph';
import type { ViewReader } from './view-store.port';

/** Batched point reads of nodes (absent ids are missing from the map). */
export async function readNodes<N extends NodeDocument<unknown>>(
  views: ViewReader,
  ids: Iterable<string>,
): Promise<Map<string, N>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  return (await views.get('nodes', unique)) as Map<string, N>;
}

/** The `rel` edges pointing at any of `targets`: one indexed query, uncapped. */
export async function edgesInto(
  views: ViewReader,
  targets: Iterable<string>,
  rel: EdgeRelation,
): Promise<EdgeDocument[]> {
  const unique = [...new Set(targets)];
  if (unique.length === 0) return [];
  return (await views.find('edges', { where: { to: { in: unique }, rel } })) as EdgeDocument[];
}

/** The `rel` edges leaving any of `sources`: one indexed query, uncapped. */
export async function edgesOutOf(
  views: ViewReader,
  sources: Iterable<string>,
  rel: EdgeRelation,
): Promise<EdgeDocument[]> {
  const unique = [...new Set(sources)];
  if (unique.length === 0) return [];
  return (await views.find('edges', { where: { from: { in: unique }, rel } })) as EdgeDocument[];
}

/** Edge targets mapped to their sources, in the order found. */
export function sourcesByTarget(edges: readonly EdgeDocument[]): Map<string, string[]> {
  const sources = new Map<string, string[]>();
  for (const edge of edges) {
    const group = sources.get(edge.to);
    if (group) group.push(edge.from);
    else sources.set(edge.to, [edge.from]);
  }
  return sources;
}
