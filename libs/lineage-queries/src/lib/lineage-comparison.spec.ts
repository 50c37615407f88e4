import type { ModelLineageDocument } from '@prov/projections';
import { compareLineages, resolveLineage } from './lineage-comparison';
import { churnUpstream, LineageEvents } from '@prov/testing';
import { projected } from './projected-views.test-helper';

async function lineageOf(views: Awaited<ReturnType<typeof projected>>, id: string): Promise<ModelLineageDocument> {
  const lineage = await resolveLineage(views, id);
  if (!lineage) throw new Error(`no lineage for ${id}`);
  return lineage;
}

describe('compareLineages', () => {
  it('finds no difference between a lineage and itself', async () => {
    const world = churnUpstream();
    const model = world.events.modelRegistered('churn-classifier', '3.1.0', world.ids.run);
    const views = await projected(...world.all, model);
    const lineage = await lineageOf(views, 'model:churn-classifier@3.1.0');

    expect(compareLineages(lineage, lineage)).toEqual({ sameDataSnapshot: true, differences: [] });
  });

  it('reports run settings that differ on the same data, quoting user keys that hold dots', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const retrain = events.runStarted(ids.pipeline, world.run.payload.inputs, {
      hyperparameters: { ...world.run.payload.hyperparameters, 'optimizer.lr': 0.01 },
      seeds: { ...world.run.payload.seeds, torch: 99 },
      codeCommit: '0123456789ab',
    });
    const baseline = events.modelRegistered('churn-classifier', '3.1.0', ids.run);
    const candidate = events.modelRegistered('churn-classifier', '3.2.0', retrain.payload.runId);
    const views = await projected(...world.all, retrain, baseline, candidate);

    const comparison = compareLineages(
      await lineageOf(views, 'model:churn-classifier@3.1.0'),
      await lineageOf(views, 'model:churn-classifier@3.2.0'),
    );

    expect(comparison).toEqual({
      sameDataSnapshot: true,
      differences: [
        { path: 'run.codeCommit', left: world.run.payload.codeCommit, right: '0123456789ab' },
        { path: 'run.hyperparameters["optimizer.lr"]', left: 0.001, right: 0.01 },
        { path: 'run.seeds.torch', left: world.run.payload.seeds.torch, right: 99 },
      ],
    });
  });

  it('reports slices and dataset versions present on one side only as a different data snapshot', async () => {
    const events = new LineageEvents();
    const november = churnUpstream(events, '2026-11-01');
    const december = churnUpstream(events, '2026-12-01');
    const baseline = events.modelRegistered('churn-classifier', '3.1.0', november.ids.run);
    const candidate = events.modelRegistered('churn-classifier', '3.2.0', december.ids.run);
    const views = await projected(...november.all, ...december.all, baseline, candidate);

    const { sameDataSnapshot, differences } = compareLineages(
      await lineageOf(views, 'model:churn-classifier@3.1.0'),
      await lineageOf(views, 'model:churn-classifier@3.2.0'),
    );

    const train = { roles: ['train'], uses: [{ role: 'train', samplingFraction: 0.5 }] };
    const validation = { roles: ['validation'], uses: [{ role: 'validation', samplingFraction: null }] };
    const datasetId = november.ids.dataset;
    const expected = [
      { path: `slices["${november.ids.trainSlice}"]`, left: train, right: null },
      { path: `slices["${november.ids.validationSlice}"]`, left: validation, right: null },
      { path: `slices["${december.ids.trainSlice}"]`, left: null, right: train },
      { path: `slices["${december.ids.validationSlice}"]`, left: null, right: validation },
    ].sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(sameDataSnapshot).toBe(false);
    expect(differences).toEqual([
      ...expected,
      ...[
        { path: `datasetVersions["${november.ids.version}"]`, left: { datasetId }, right: null },
        { path: `datasetVersions["${december.ids.version}"]`, left: null, right: { datasetId } },
      ].sort((a, b) => (a.path < b.path ? -1 : 1)),
    ]);
  });

  it('reports a different pipeline step by step, and compares a run with no data as not the same snapshot', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const pipeline = events.pipeline('churn-features', '2.1.0');
    const steps = pipeline.payload.steps.map((step, index) =>
      index === 0 ? { ...step, params: { ...step.params, strategy: 'mean' } } : step,
    );
    const repiped = events.event('pipeline.registered', { ...pipeline.payload, steps });
    const retrain = events.runStarted(pipeline.payload.pipelineId, []);
    const baseline = events.modelRegistered('churn-classifier', '3.1.0', ids.run);
    const candidate = events.modelRegistered('churn-classifier', '3.2.0', retrain.payload.runId);
    const views = await projected(...world.all, repiped, retrain, baseline, candidate);

    const comparison = compareLineages(
      await lineageOf(views, 'model:churn-classifier@3.1.0'),
      await lineageOf(views, 'model:churn-classifier@3.2.0'),
    );

    expect(comparison.sameDataSnapshot).toBe(false);
    expect(comparison.differences.filter((d) => d.path.startsWith('pipeline'))).toEqual([
      { path: 'pipeline.id', left: ids.pipeline, right: 'pipeline:churn-features@2.1.0' },
      { path: 'pipeline.steps[0].params.strategy', left: 'median', right: 'mean' },
    ]);
  });
});

describe('resolveLineage', () => {
  it('resolves a deployment to the lineage of the model version it serves now', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const first = events.modelRegistered('churn-classifier', '3.1.0', ids.run);
    const second = events.modelRegistered('churn-classifier', '3.2.0', ids.run);
    const created = events.deploymentCreated('churn-api', first.payload.modelVersionId, '2026-11-01T00:00:00Z');
    const revised = events.deploymentRevised(
      'deployment:churn-api',
      second.payload.modelVersionId,
      '2026-11-05T00:00:00Z',
    );
    const views = await projected(...world.all, first, second, created, revised);

    expect((await resolveLineage(views, 'deployment:churn-api'))?._id).toBe('model:churn-classifier@3.2.0');
    expect((await resolveLineage(views, 'model:churn-classifier@3.1.0'))?._id).toBe('model:churn-classifier@3.1.0');
    expect(await resolveLineage(views, 'deployment:unknown')).toBeUndefined();
    expect(await resolveLineage(views, 'model:unknown@1')).toBeUndefined();
  });
});
