import type { LineageGraph, PredictionTrace } from '@prov/lineage-queries';

/** The kinds of node the explorer draws: the lineage graph's, and the prediction a trace starts from. */
export type ExplorerNodeKind = LineageGraph['nodes'][number]['kind'] | 'prediction';

export interface ExplorerNode {
  id: string;
  kind: ExplorerNodeKind;
  label: string;
  /** False for an entity named by a link whose own definition has not arrived. */
  known: boolean;
  /** A flagged slice, a revoked model version, or a deployment not serving the model it reported. */
  attention: boolean;
  /** What the details panel shows: the trace's part for the node, when the node came from a trace. */
  details?: Record<string, unknown>;
}

export interface ExplorerEdge {
  id: string;
  /** Edges point from a thing to what it was made from, as the gateway's lineage edges do. */
  from: string;
  to: string;
  rel: string;
}

export interface ExplorerGraph {
  nodes: ExplorerNode[];
  edges: ExplorerEdge[];
}

const edge = (from: string, to: string, rel: string): ExplorerEdge => ({ id: `${from}|${rel}|${to}`, from, to, rel });

/**
 * A prediction's chain of custody as a graph: prediction -> deployment ->
 * model version -> run -> pipeline and slices -> dataset versions, each node
 * carrying its part of the trace.
 */
export function graphOfTrace(trace: PredictionTrace): ExplorerGraph {
  const { prediction, deployment, modelVersion, run, pipeline } = trace;
  const nodes: ExplorerNode[] = [
    {
      id: prediction.id,
      kind: 'prediction',
      label: prediction.id,
      known: true,
      attention: false,
      details: { ...prediction },
    },
  ];
  const edges: ExplorerEdge[] = [];
  if (deployment) {
    const revision = deployment.revision ? ` (serving since ${deployment.revision.from})` : '';
    nodes.push({
      id: deployment.id,
      kind: 'deployment',
      label: `${deployment.id}${revision}`,
      known: deployment.known,
      attention: !deployment.servedModelMatches,
      details: { ...deployment },
    });
    edges.push(edge(prediction.id, deployment.id, 'served-by'));
  }
  // The model version the prediction names, linked from the deployment revision that served it.
  const modelVersionId = modelVersion?.id ?? prediction.modelVersionId;
  nodes.push({
    id: modelVersionId,
    kind: 'model-version',
    label: modelVersionId,
    known: modelVersion !== null,
    attention: modelVersion?.revoked === true,
    details: modelVersion ? { ...modelVersion } : undefined,
  });
  edges.push(
    edge(deployment ? deployment.id : prediction.id, modelVersionId, deployment ? 'serves' : 'predicted-with'),
  );
  if (run) {
    nodes.push({ id: run.id, kind: 'run', label: run.id, known: true, attention: false, details: { ...run } });
    edges.push(edge(modelVersionId, run.id, 'trained-by'));
    if (pipeline) {
      nodes.push({
        id: pipeline.id,
        kind: 'pipeline',
        label: pipeline.id,
        known: true,
        attention: false,
        details: { ...pipeline },
      });
      edges.push(edge(run.id, pipeline.id, 'ran'));
    }
    for (const slice of trace.slices) {
      nodes.push(part('slice', slice, sliceLabel(slice.id, slice.labels), slice.flagged));
      edges.push(edge(run.id, slice.id, 'used'));
    }
  }
  for (const version of trace.datasetVersions) {
    nodes.push(
      part('dataset-version', version, `${version.datasetId ?? 'dataset version'} ${shortDigest(version.id)}`, false),
    );
  }
  const versions = new Set(trace.datasetVersions.map((v) => v.id));
  for (const slice of trace.slices) {
    if (slice.datasetVersionId && versions.has(slice.datasetVersionId))
      edges.push(edge(slice.id, slice.datasetVersionId, 'slice-of'));
  }
  return { nodes, edges };
}

/** The gateway's lineage graph (`GET /v1/lineage/{nodeId}`) in the explorer's terms. */
export function graphOfLineage(lineage: LineageGraph): ExplorerGraph {
  return {
    nodes: lineage.nodes.map(({ id, kind, label, known, attention }) => ({ id, kind, label, known, attention })),
    edges: lineage.edges.map(({ from, to, rel }) => edge(from, to, rel)),
  };
}

/**
 * Adds what an expansion found to the graph on screen. Nodes already drawn
 * keep their details (a trace knows more than the lineage graph says) but
 * take the newer flags, so a slice flagged since shows it.
 */
export function mergeGraphs(shown: ExplorerGraph, found: ExplorerGraph): ExplorerGraph {
  const nodes = new Map(shown.nodes.map((n) => [n.id, n]));
  for (const node of found.nodes) {
    const old = nodes.get(node.id);
    nodes.set(
      node.id,
      old ? { ...old, known: old.known || node.known, attention: old.attention || node.attention } : node,
    );
  }
  const edges = new Map(shown.edges.map((e) => [e.id, e]));
  for (const e of found.edges) if (!edges.has(e.id)) edges.set(e.id, e);
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** `sha256:` ids are long: the first 12 hex digits tell them apart on screen (the details show them whole). */
export function shortDigest(id: string): string {
  const match = /sha256:([0-9a-f]{12})[0-9a-f]*$/.exec(id);
  return match ? `${match[1]}…` : id;
}

/** A node for a part of the trace that may be named before its definition arrived. */
function part(
  kind: ExplorerNodeKind,
  details: { id: string; known: boolean },
  label: string,
  attention: boolean,
): ExplorerNode {
  return { id: details.id, kind, label, known: details.known, attention, details: { ...details } };
}

function sliceLabel(id: string, labels: Record<string, string> | null): string {
  const named = labels
    ? Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')
    : '';
  return named ? `slice ${shortDigest(id)} (${named})` : `slice ${shortDigest(id)}`;
}
