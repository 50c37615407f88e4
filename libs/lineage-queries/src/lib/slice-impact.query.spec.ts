import { InvalidCursorError, InvalidPageSizeError } from './lineage-query.errors';
import { DEPLOYMENT, impactedViews, MODEL, NEXT } from './impacted-views.test-helper';
import { impactOfDatasetVersion, impactOfSlice, impactPredictionPage } from './slice-impact.query';

describe('impactOfSlice', () => {
  it('lists the models, deployment windows and prediction totals a slice reached', async () => {
    const { views, world } = await impactedViews();

    const impact = await impactOfSlice(views, world.ids.trainSlice);

    expect(impact).toEqual({
      sliceId: world.ids.trainSlice,
      flagged: false,
      flags: [],
      modelVersions: [
        { id: MODEL, runId: world.ids.run, roles: ['train'] },
        { id: NEXT, runId: world.ids.run, roles: ['train'] },
      ],
      deployments: [
        {
          id: DEPLOYMENT,
          modelVersionIds: [MODEL, NEXT],
          windows: [
            { modelVersionId: MODEL, from: '2026-11-01T00:00:00.000Z', to: '2026-11-10T00:00:00.000Z' },
            { modelVersionId: NEXT, from: '2026-11-10T00:00:00.000Z', to: null },
          ],
        },
      ],
      predictions: {
        total: 5,
        byModelVersion: [
          { id: MODEL, count: 3, firstAt: '2026-11-01T12:00:00.000Z', lastAt: '2026-11-03T00:00:00.000Z' },
          { id: NEXT, count: 2, firstAt: '2026-11-11T00:00:00.000Z', lastAt: '2026-11-12T00:00:00.000Z' },
        ],
      },
    });
  });

  it('counts predictions sent again once, each for the model version of its first record', async () => {
    const { views, world } = await impactedViews(true);
    const impact = await impactOfSlice(views, world.ids.trainSlice);
    expect(impact?.predictions).toEqual({
      total: 5,
      byModelVersion: [
        { id: MODEL, count: 3, firstAt: '2026-11-01T12:00:00.000Z', lastAt: '2026-11-03T00:00:00.000Z' },
        { id: NEXT, count: 2, firstAt: '2026-11-11T00:00:00.000Z', lastAt: '2026-11-12T00:00:00.000Z' },
      ],
    });
  });

  it('is undefined for a slice no view knows', async () => {
    const { views } = await impactedViews();
    expect(await impactOfSlice(views, 'slice:sha256:unknown')).toBeUndefined();
  });
});

describe('impactOfDatasetVersion', () => {
  it('merges the impact of every slice of the snapshot, roles included', async () => {
    const { views, world } = await impactedViews();

    const impact = await impactOfDatasetVersion(views, world.ids.version);

    expect(impact?.sliceIds).toEqual([world.ids.trainSlice, world.ids.validationSlice].sort());
    expect(impact?.modelVersions).toEqual([
      { id: MODEL, runId: world.ids.run, roles: ['train', 'validation'] },
      { id: NEXT, runId: world.ids.run, roles: ['train', 'validation'] },
    ]);
    expect(impact?.deployments.map((deployment) => deployment.windows.length)).toEqual([2]);
    expect(impact?.predictions.total).toBe(5);
    expect(await impactOfDatasetVersion(views, 'dsv:sha256:unknown')).toBeUndefined();
  });
});

describe('impactPredictionPage', () => {
  it('pages through the ids of the predictions of the slice models, batch by batch', async () => {
    const { views, world } = await impactedViews();

    const first = await impactPredictionPage(views, world.ids.trainSlice, undefined, 2);
    const second = await impactPredictionPage(views, world.ids.trainSlice, first?.nextCursor ?? undefined, 2);
    const third = await impactPredictionPage(views, world.ids.trainSlice, second?.nextCursor ?? undefined, 2);

    expect(first?.predictionIds).toEqual(['pred:a1', 'pred:a2']);
    expect(second?.predictionIds).toEqual(['pred:a3', 'pred:b1']);
    expect(third).toEqual({ predictionIds: ['pred:b2'], nextCursor: null });
    expect(first?.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('lists a prediction id sent again once, in the batch that recorded it first', async () => {
    const { views, world } = await impactedViews(true);
    const all = await impactPredictionPage(views, world.ids.trainSlice, undefined, 1000);
    expect(all).toEqual({ predictionIds: ['pred:a1', 'pred:a2', 'pred:a3', 'pred:b1', 'pred:b2'], nextCursor: null });
  });

  it('refuses a cursor it did not hand out and a page size out of range', async () => {
    const { views, world } = await impactedViews();

    await expect(impactPredictionPage(views, world.ids.trainSlice, 'not-a-cursor', 2)).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(impactPredictionPage(views, world.ids.trainSlice, undefined, 0)).rejects.toThrow(InvalidPageSizeError);
    expect(await impactPredictionPage(views, 'slice:sha256:unknown', undefined, 2)).toBeUndefined();
  });
});
