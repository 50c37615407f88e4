import { DSV, SLICE_TEST, SLICE_TRAIN, sampleTrace } from '../trace.test-helper';
import { graphOfLineage, graphOfTrace, mergeGraphs, shortDigest } from './explorer-graph';

describe('graphOfTrace', () => {
  it('draws the chain from the prediction down to the dataset versions', () => {
    const graph = graphOfTrace(sampleTrace());
    expect(graph.nodes.map((n) => [n.kind, n.id])).toEqual([
      ['prediction', 'pred:req-1'],
      ['deployment', 'deployment:churn-api'],
      ['model-version', 'model:churn@1'],
      ['run', 'run:r1'],
      ['pipeline', 'pipeline:features@1.0'],
      ['slice', SLICE_TRAIN],
      ['slice', SLICE_TEST],
      ['dataset-version', DSV],
    ]);
    expect(graph.edges.map((e) => `${e.from} -${e.rel}-> ${e.to}`)).toEqual([
      'pred:req-1 -served-by-> deployment:churn-api',
      'deployment:churn-api -serves-> model:churn@1',
      'model:churn@1 -trained-by-> run:r1',
      'run:r1 -ran-> pipeline:features@1.0',
      `run:r1 -used-> ${SLICE_TRAIN}`,
      `run:r1 -used-> ${SLICE_TEST}`,
      `${SLICE_TRAIN} -slice-of-> ${DSV}`,
      `${SLICE_TEST} -slice-of-> ${DSV}`,
    ]);
  });

  it('carries each part of the trace on its node and marks flagged slices', () => {
    const graph = graphOfTrace(sampleTrace());
    const run = graph.nodes.find((n) => n.id === 'run:r1');
    expect(run?.details).toMatchObject({ hyperparameters: { 'optimizer.lr': 0.01 }, seeds: { torch: 7 } });
    expect(graph.nodes.filter((n) => n.attention).map((n) => n.id)).toEqual([SLICE_TRAIN]);
    expect(graph.nodes.find((n) => n.id === SLICE_TRAIN)?.label).toBe('slice 222222222222… (split=train)');
  });

  it('links the prediction to its model version directly, unknown, when neither deployment nor model is known', () => {
    const graph = graphOfTrace(
      sampleTrace({ deployment: null, modelVersion: null, run: null, pipeline: null, slices: [], datasetVersions: [] }),
    );
    expect(graph.nodes.map((n) => [n.id, n.known])).toEqual([
      ['pred:req-1', true],
      ['model:churn@1', false],
    ]);
    expect(graph.edges.map((e) => e.rel)).toEqual(['predicted-with']);
  });

  it('marks a deployment that served another model than the prediction names', () => {
    const trace = sampleTrace();
    if (!trace.deployment) throw new Error('the sample trace has a deployment');
    const graph = graphOfTrace({ ...trace, deployment: { ...trace.deployment, servedModelMatches: false } });
    expect(graph.nodes.find((n) => n.kind === 'deployment')?.attention).toBe(true);
  });
});

describe('mergeGraphs', () => {
  it('adds the nodes and edges an expansion found, keeping the details already shown', () => {
    const shown = graphOfTrace(sampleTrace());
    const found = graphOfLineage({
      nodes: [
        { id: 'model:churn@1', kind: 'model-version', label: 'churn@1', known: true, attention: true },
        { id: 'deployment:other', kind: 'deployment', label: 'other', known: true, attention: false },
      ],
      edges: [
        { from: 'deployment:other', to: 'model:churn@1', rel: 'serves' },
        { from: 'deployment:churn-api', to: 'model:churn@1', rel: 'serves' },
      ],
      truncated: false,
    });
    const merged = mergeGraphs(shown, found);
    expect(merged.nodes).toHaveLength(shown.nodes.length + 1);
    expect(merged.edges).toHaveLength(shown.edges.length + 1);
    const model = merged.nodes.find((n) => n.id === 'model:churn@1');
    expect(model).toMatchObject({ attention: true, details: { artifact: { uri: 's3://m/1/' } } });
  });
});

describe('shortDigest', () => {
  it('keeps twelve hex digits of a content id and leaves other ids alone', () => {
    expect(shortDigest(DSV)).toBe('111111111111…');
    expect(shortDigest('run:r1')).toBe('run:r1');
  });
});
