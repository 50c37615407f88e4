import type { PredictionTimeline } from '@prov/lineage-queries';
import { bucketLabel, MAX_AXIS_BUCKETS, timelineChart } from './timeline-chart';

const day = (date: string) => `${date}T00:00:00.000Z`;

describe('timelineChart', () => {
  it('stacks each model version’s counts on one axis, with the empty days between put back', () => {
    const timeline: PredictionTimeline = {
      bucket: 'day',
      total: 7,
      buckets: [
        { start: day('2026-11-05'), count: 3 },
        { start: day('2026-11-08'), count: 4 },
      ],
      byModelVersion: [
        {
          id: 'model:a@1',
          count: 5,
          buckets: [
            { start: day('2026-11-05'), count: 1 },
            { start: day('2026-11-08'), count: 4 },
          ],
        },
        { id: 'model:b@1', count: 2, buckets: [{ start: day('2026-11-05'), count: 2 }] },
      ],
    };

    expect(timelineChart(timeline)).toEqual({
      bucket: 'day',
      starts: [day('2026-11-05'), day('2026-11-06'), day('2026-11-07'), day('2026-11-08')],
      labels: ['2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08'],
      series: [
        { modelVersionId: 'model:a@1', counts: [1, 0, 0, 4] },
        { modelVersionId: 'model:b@1', counts: [2, 0, 0, 0] },
      ],
      totals: [3, 0, 0, 4],
    });
  });

  it('keeps only the buckets with predictions when the span is too long to draw every one', () => {
    const first = '2020-01-01T00:00:00.000Z';
    const last = new Date(Date.parse(first) + MAX_AXIS_BUCKETS * 3_600_000).toISOString();
    const points = [
      { start: first, count: 1 },
      { start: last, count: 2 },
    ];
    const chart = timelineChart({
      bucket: 'hour',
      total: 3,
      buckets: points,
      byModelVersion: [{ id: 'model:a@1', count: 3, buckets: points }],
    });
    expect(chart.starts).toEqual([first, last]);
    expect(chart.series).toEqual([{ modelVersionId: 'model:a@1', counts: [1, 2] }]);
  });

  it('has an empty axis for no prediction', () => {
    expect(timelineChart({ bucket: 'week', total: 0, buckets: [], byModelVersion: [] })).toEqual({
      bucket: 'week',
      starts: [],
      labels: [],
      series: [],
      totals: [],
    });
  });
});

describe('bucketLabel', () => {
  it('names an hour, a day and an ISO week by their start', () => {
    expect(bucketLabel('2026-11-05T10:00:00.000Z', 'hour')).toBe('2026-11-05 10:00');
    expect(bucketLabel('2026-11-05T00:00:00.000Z', 'day')).toBe('2026-11-05');
    expect(bucketLabel('2026-11-02T00:00:00.000Z', 'week')).toBe('week of 2026-11-02');
  });
});
