import { churnUpstream, LineageEvents } from '@prov/testing';
import { given } from './projection-scenario.test-helper';

describe('slice impact', () => {
  it('follows a deployment revision that replaced the model with serving windows for each model', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const oldModel = world.registerModel();
    const retrain = events.runStarted(ids.pipeline, [
      { sliceId: ids.validationSlice, role: 'train', samplingFraction: 1 },
    ]);
    const newModel = events.modelRegistered('churn-classifier', '3.2.0', retrain.payload.runId);
    const created = events.deploymentCreated('churn-api', ids.model, '2026-11-03T10:00:00Z');
    const revised = events.deploymentRevised(
      'deployment:churn-api',
      newModel.payload.modelVersionId,
      '2026-11-10T10:00:00Z',
    );
    const then = await given(...world.all, oldModel, retrain, newModel, created).when(revised);

    expect(then.doc('slice_impact', ids.trainSlice)).toEqual({
      _id: ids.trainSlice,
      datasetVersionId: ids.version,
      flagged: false,
      flags: [],
      modelVersions: [{ id: ids.model, runId: ids.run, roles: ['train'] }],
      deployments: [
        {
          id: 'deployment:churn-api',
          modelVersionIds: [ids.model],
          windows: [{ modelVersionId: ids.model, from: '2026-11-03T10:00:00Z', to: '2026-11-10T10:00:00Z' }],
        },
      ],
    });
    expect(then.doc('slice_impact', ids.validationSlice)).toMatchObject({
      modelVersions: [
        { id: ids.model, runId: ids.run, roles: ['validation'] },
        { id: newModel.payload.modelVersionId, runId: retrain.payload.runId, roles: ['train'] },
      ],
      deployments: [
        {
          id: 'deployment:churn-api',
          modelVersionIds: [ids.model, newModel.payload.modelVersionId],
          windows: [
            { modelVersionId: ids.model, from: '2026-11-03T10:00:00Z', to: '2026-11-10T10:00:00Z' },
            { modelVersionId: newModel.payload.modelVersionId, from: '2026-11-10T10:00:00Z', to: null },
          ],
        },
      ],
    });
    for (const id of [ids.model, newModel.payload.modelVersionId]) {
      expect(then.doc('model_lineage', id)).toMatchObject({ deploymentIds: ['deployment:churn-api'] });
    }
  });

  it('orders windows by when revisions take effect, not by when they arrived', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const model = world.registerModel();
    const created = events.deploymentCreated('churn-api', ids.model, '2026-11-03T10:00:00Z');
    const backdated = events.deploymentRevised('deployment:churn-api', 'model:other@1', '2026-11-01T00:00:00+00:00');
    const then = await given(...world.all, model, created).when(backdated);
    expect(then.doc('slice_impact', ids.trainSlice)).toMatchObject({
      deployments: [{ windows: [{ modelVersionId: ids.model, from: '2026-11-03T10:00:00Z', to: null }] }],
    });
  });

  it('exists for a slice used by a run before the slice itself is known', async () => {
    const events = new LineageEvents();
    const unknown = 'slice:sha256:' + 'd'.repeat(64);
    const run = events.runStarted('pipeline:p@1', [{ sliceId: unknown, role: 'test' }]);
    const model = events.modelRegistered('m', '1', run.payload.runId);
    const then = await given(run).when(model);
    expect(then.doc('slice_impact', unknown)).toEqual({
      _id: unknown,
      datasetVersionId: null,
      flagged: false,
      flags: [],
      modelVersions: [{ id: 'model:m@1', runId: run.payload.runId, roles: ['test'] }],
      deployments: [],
    });
  });

  it('drops a slice that a run stopped naming when the run was defined again', async () => {
    const events = new LineageEvents();
    const first = 'slice:sha256:' + '1'.repeat(64);
    const second = 'slice:sha256:' + '2'.repeat(64);
    const run = events.runStarted('pipeline:p@1', [{ sliceId: first, role: 'train' }]);
    const model = events.modelRegistered('m', '1', run.payload.runId);
    const redefined = events.event('training.run.started', {
      ...run.payload,
      inputs: [{ sliceId: second, role: 'train' }],
    });
    const then = await given(run, model).when(redefined);
    expect(then.ids('slice_impact')).toEqual([second]);
    expect(then.doc('model_lineage', 'model:m@1')).toMatchObject({ sliceIds: [second] });
  });
});
