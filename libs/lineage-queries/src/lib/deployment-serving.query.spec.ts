import { LineageEvents } from '@prov/testing';
import { servingOfDeployment } from './deployment-serving.query';
import { projected } from './projected-views.test-helper';

describe('servingOfDeployment', () => {
  it('names the model version of the revision in force now, whatever order the revisions arrived in', async () => {
    const events = new LineageEvents();
    const created = events.deploymentCreated('churn-api', 'model:churn@1', '2026-11-01T00:00:00.000Z');
    const later = events.deploymentRevised('deployment:churn-api', 'model:churn@3', '2026-11-20T00:00:00.000Z');
    const earlier = events.deploymentRevised('deployment:churn-api', 'model:churn@2', '2026-11-10T00:00:00.000Z');
    const views = await projected(created, later, earlier);

    expect(await servingOfDeployment(views, 'deployment:churn-api')).toEqual({
      deploymentId: 'deployment:churn-api',
      known: true,
      endpoint: created.payload.endpoint,
      captureLevel: 'full',
      modelVersionId: 'model:churn@3',
      windows: [
        { modelVersionId: 'model:churn@1', from: '2026-11-01T00:00:00.000Z', to: '2026-11-10T00:00:00.000Z' },
        { modelVersionId: 'model:churn@2', from: '2026-11-10T00:00:00.000Z', to: '2026-11-20T00:00:00.000Z' },
        { modelVersionId: 'model:churn@3', from: '2026-11-20T00:00:00.000Z', to: null },
      ],
    });
  });

  it('knows a deployment only revised so far, and nothing of one never named', async () => {
    const events = new LineageEvents();
    const views = await projected(events.deploymentRevised('deployment:late', 'model:churn@2', '2026-11-10T00:00:00Z'));

    expect(await servingOfDeployment(views, 'deployment:late')).toMatchObject({
      known: false,
      endpoint: null,
      captureLevel: null,
      modelVersionId: 'model:churn@2',
    });
    expect(await servingOfDeployment(views, 'deployment:nobody')).toBeUndefined();
  });
});
