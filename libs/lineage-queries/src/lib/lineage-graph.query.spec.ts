import { lineageGraph } from './lineage-graph.query';
import { churnUpstream } from '@prov/testing';
import { projected } from './projected-views.test-helper';
import { InvalidGraphQueryError } from './lineage-query.errors';

const MODEL = 'model:churn-classifier@3.1.0';
const SIBLING = 'model:churn-classifier@3.1.1';

async function churnGraphViews() {
  const world = churnUpstream();
  const { events, ids } = world;
  const model = events.modelRegistered('churn-classifier', '3.1.0', ids.run);
  const sibling = events.modelRegistered('churn-classifier', '3.1.1', ids.run);
  const evaluation = events.evaluation(MODEL, ids.validationSlice);
  const deployment = events.deploymentCreated('churn-api', MODEL, '2026-11-01T00:00:00Z');
  const flagged = events.sliceFlagged(ids.trainSlice);
  const views = await projected(...world.all, model, sibling, evaluation, deployment, flagged);
  return { views, ids, evaluationId: evaluation.payload.evaluationId };
}

const ids = (graph: { nodes: Array<{ id: string }> } | undefined) => graph?.nodes.map((node) => node.id);

describe('lineageGraph', () => {
  it('walks upstream from a model version to its data, level by level', async () => {
    const { views, ids: world } = await churnGraphViews();

    const one = await lineageGraph(views, MODEL, { direction: 'upstream', depth: 1, maxNodes: 100 });
    const all = await lineageGraph(views, MODEL, { direction: 'upstream', depth: 5, maxNodes: 100 });

    expect(one).toEqual({
      nodes: [
        { id: MODEL, kind: 'model-version', label: 'churn-classifier@3.1.0', known: true, attention: false },
        { id: world.run, kind: 'run', label: world.run.slice('run:'.length), known: true, attention: false },
      ],
      edges: [{ from: MODEL, to: world.run, rel: 'trained-by' }],
      truncated: false,
    });
    expect(ids(all)).toEqual(
      [MODEL, world.run, world.pipeline, world.trainSlice, world.validationSlice, world.version, world.dataset].sort(),
    );
    expect(all?.edges).toContainEqual({
      from: world.run,
      to: world.trainSlice,
      rel: 'used',
      attrs: { role: 'train', samplingFraction: 0.5 },
    });
    expect(all?.nodes.find((node) => node.id === world.trainSlice)).toMatchObject({
      kind: 'slice',
      label: world.trainSlice.slice('slice:'.length, 'slice:sha256:'.length + 12),
      attention: true,
    });
  });

  it('walks downstream from a slice to the runs, models, evaluations and deployments it reached', async () => {
    const { views, ids: world, evaluationId } = await churnGraphViews();

    const graph = await lineageGraph(views, world.validationSlice, {
      direction: 'downstream',
      depth: 3,
      maxNodes: 100,
    });

    expect(ids(graph)).toEqual(
      [world.validationSlice, world.run, evaluationId, MODEL, SIBLING, 'deployment:churn-api'].sort(),
    );
  });

  it('walks both ways from a model without reaching its siblings', async () => {
    const { views, ids: world, evaluationId } = await churnGraphViews();

    const graph = await lineageGraph(views, MODEL, { direction: 'both', depth: 1, maxNodes: 100 });

    expect(ids(graph)).toEqual([MODEL, world.run, evaluationId, 'deployment:churn-api'].sort());
    expect(ids(graph)).not.toContain(SIBLING);
  });

  it('stops at maxNodes and says the graph was truncated', async () => {
    const { views } = await churnGraphViews();

    const graph = await lineageGraph(views, MODEL, { direction: 'upstream', depth: 5, maxNodes: 3 });

    expect(graph?.nodes).toHaveLength(3);
    expect(graph?.truncated).toBe(true);
    const kept = new Set(ids(graph));
    expect(graph?.edges.every((edge) => kept.has(edge.from) && kept.has(edge.to))).toBe(true);
  });

  it('returns the node alone at depth 0, and undefined for an id nothing names', async () => {
    const { views } = await churnGraphViews();

    expect(ids(await lineageGraph(views, MODEL, { direction: 'both', depth: 0, maxNodes: 10 }))).toEqual([MODEL]);
    expect(await lineageGraph(views, 'model:nobody@1', { direction: 'both', depth: 2, maxNodes: 10 })).toBeUndefined();
  });

  it('refuses a negative depth or an empty node budget', async () => {
    const { views } = await churnGraphViews();

    await expect(lineageGraph(views, MODEL, { direction: 'upstream', depth: -1, maxNodes: 10 })).rejects.toThrow(
      InvalidGraphQueryError,
    );
    await expect(lineageGraph(views, MODEL, { direction: 'upstream', depth: 1, maxNodes: 0 })).rejects.toThrow(
      InvalidGraphQueryError,
    );
  });

  it('shows a run posted through OpenLineage as one posted to /v1/runs: job, run, inputs at their versions, outputs', async () => {
    const world = churnUpstream();
    const { events, ids: churn } = world;
    const runId = events.uuid();
    const start = events.openLineageRun(runId, 'START', churn.version, churn.trainSlice);
    const complete = events.openLineageRun(runId, 'COMPLETE', churn.version, churn.trainSlice);
    const [, unversioned] = start.payload.inputs;
    const [output] = start.payload.outputs;
    const job = 'job:airflow/churn.prepare_features';
    const run = `run:${runId}`;
    // START and COMPLETE (and a repeat) in either order give the same graph.
    const inOrder = await projected(...world.all, start, complete);
    const reversed = await projected(...world.all, complete, start, complete);
    const graph = await lineageGraph(inOrder, run, { direction: 'both', depth: 1, maxNodes: 100 });
    expect(await lineageGraph(reversed, run, { direction: 'both', depth: 1, maxNodes: 100 })).toEqual(graph);

    expect(graph?.nodes).toEqual(
      expect.arrayContaining([
        { id: run, kind: 'run', label: runId, known: true, attention: false },
        { id: job, kind: 'job', label: 'airflow/churn.prepare_features', known: true, attention: false },
      ]),
    );
    expect(graph?.edges).toEqual(
      expect.arrayContaining([
        { from: run, to: job, rel: 'ran' },
        // The registered version the datasetVersion facet names, never the dataset's latest.
        {
          from: run,
          to: churn.version,
          rel: 'used',
          attrs: { role: 'input', resolution: 'registered', version: churn.version },
        },
        { from: run, to: churn.trainSlice, rel: 'used', attrs: { role: 'input' } },
        { from: run, to: unversioned.datasetId, rel: 'used', attrs: { role: 'input', resolution: 'unversioned' } },
        {
          from: output.datasetId,
          to: run,
          rel: 'generated-by',
          attrs: { role: 'output', resolution: 'external', version: output.version },
        },
      ]),
    );
    expect(graph?.edges).toHaveLength(5);
    // From the data: the dataset version reaches the run, and the job beyond it.
    const downstream = await lineageGraph(inOrder, churn.version, { direction: 'downstream', depth: 2, maxNodes: 100 });
    expect(ids(downstream)).toEqual(expect.arrayContaining([run, churn.trainSlice]));
    const fromJob = await lineageGraph(inOrder, job, { direction: 'downstream', depth: 2, maxNodes: 100 });
    expect(ids(fromJob)).toEqual(expect.arrayContaining([job, run, output.datasetId]));
  });
});
