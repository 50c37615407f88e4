import { InMemoryViews, type PredictionBatchDocument, type SliceImpactDocument } from '@prov/projections';
import { timelineOfDatasetVersion, timelineOfSlice } from './impact-timeline.query';
import { impactedViews, MODEL, NEXT } from './impacted-views.test-helper';

const day = (date: string) => `${date}T00:00:00.000Z`;

describe('timelineOfSlice', () => {
  it('counts a prediction sent again once, in the hour and model version of its first record', async () => {
    const once = await impactedViews();
    const resent = await impactedViews(true);
    for (const bucket of ['hour', 'day', 'week'] as const) {
      expect(await timelineOfSlice(resent.views, resent.world.ids.trainSlice, bucket)).toEqual(
        await timelineOfSlice(once.views, once.world.ids.trainSlice, bucket),
      );
    }
  });

  it('counts each prediction in the day of its own time, not its batch’s window', async () => {
    const { views, world } = await impactedViews();

    const timeline = await timelineOfSlice(views, world.ids.trainSlice, 'day');

    // One batch of MODEL spans 11-02 and 11-03: each day gets its own prediction.
    expect(timeline).toEqual({
      sliceId: world.ids.trainSlice,
      bucket: 'day',
      total: 5,
      buckets: [
        { start: day('2026-11-01'), count: 1 },
        { start: day('2026-11-02'), count: 1 },
        { start: day('2026-11-03'), count: 1 },
        { start: day('2026-11-11'), count: 1 },
        { start: day('2026-11-12'), count: 1 },
      ],
      byModelVersion: [
        {
          id: MODEL,
          count: 3,
          buckets: [
            { start: day('2026-11-01'), count: 1 },
            { start: day('2026-11-02'), count: 1 },
            { start: day('2026-11-03'), count: 1 },
          ],
        },
        {
          id: NEXT,
          count: 2,
          buckets: [
            { start: day('2026-11-11'), count: 1 },
            { start: day('2026-11-12'), count: 1 },
          ],
        },
      ],
    });
  });

  it('re-buckets the same predictions by ISO week, and is undefined for a slice no view knows', async () => {
    const { views, world } = await impactedViews();

    const timeline = await timelineOfSlice(views, world.ids.trainSlice, 'week');

    // 2026-11-01 is a Sunday: its prediction belongs to the week of Monday 10-26.
    expect(timeline?.buckets).toEqual([
      { start: day('2026-10-26'), count: 1 },
      { start: day('2026-11-02'), count: 2 },
      { start: day('2026-11-09'), count: 2 },
    ]);
    expect(await timelineOfSlice(views, 'slice:sha256:unknown', 'week')).toBeUndefined();
  });

  it('reads every batch when the model versions have more than one page of them', async () => {
    const views = new InMemoryViews();
    const impact: SliceImpactDocument = {
      _id: 'slice:sha256:busy',
      datasetVersionId: 'dsv:sha256:busy',
      flagged: false,
      flags: [],
      modelVersions: [{ id: MODEL, runId: 'run:busy', roles: ['train'] }],
      deployments: [],
    };
    const batch = (n: number): PredictionBatchDocument => ({
      _id: `event-${String(n).padStart(5, '0')}`,
      batchId: `batch:${n}`,
      payloadDigest: 'sha256:00',
      recordedAt: '2026-11-05T12:00:00.000Z',
      deploymentId: 'deployment:busy',
      modelVersionId: n % 2 === 0 ? MODEL : 'model:unrelated@1',
      artifactDigest: 'sha256:00',
      count: 2,
      firstAt: '2026-11-05T10:00:00.000Z',
      lastAt: '2026-11-05T11:00:00.000Z',
      hours: [
        { hour: '2026-11-05T10', count: 1 },
        { hour: '2026-11-05T11', count: 1 },
      ],
    });
    await views.apply([
      { op: 'replace', view: 'slice_impact', id: impact._id, doc: impact },
      ...Array.from({ length: 5001 }, (_, n) => ({
        op: 'replace' as const,
        view: 'prediction_batches' as const,
        id: batch(n)._id,
        doc: batch(n),
      })),
    ]);

    const timeline = await timelineOfSlice(views, impact._id, 'hour');

    expect(timeline?.total).toBe(2 * 2501);
    expect(timeline?.buckets).toEqual([
      { start: '2026-11-05T10:00:00.000Z', count: 2501 },
      { start: '2026-11-05T11:00:00.000Z', count: 2501 },
    ]);
  });
});

describe('timelineOfDatasetVersion', () => {
  it('counts the predictions of the model versions of every slice of the snapshot once', async () => {
    const { views, world } = await impactedViews();

    const timeline = await timelineOfDatasetVersion(views, world.ids.version, 'hour');

    // The train and validation slices both reach MODEL and NEXT: their batches are still read once.
    expect(timeline?.datasetVersionId).toBe(world.ids.version);
    expect(timeline?.byModelVersion.map((m) => [m.id, m.count])).toEqual([
      [MODEL, 3],
      [NEXT, 2],
    ]);
    expect(timeline?.buckets[0]).toEqual({ start: '2026-11-01T12:00:00.000Z', count: 1 });
    expect(await timelineOfDatasetVersion(views, 'dsv:sha256:unknown', 'hour')).toBeUndefined();
  });
});
