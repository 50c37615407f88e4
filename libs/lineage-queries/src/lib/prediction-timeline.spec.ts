import { bucketStart, TimelineTally } from './prediction-timeline';

describe('bucketStart', () => {
  it('starts an hour at itself, a day at UTC midnight, a week on the Monday before', () => {
    expect(new Date(bucketStart('2026-11-05T10', 'hour')).toISOString()).toBe('2026-11-05T10:00:00.000Z');
    expect(new Date(bucketStart('2026-11-05T10', 'day')).toISOString()).toBe('2026-11-05T00:00:00.000Z');
    // 2026-11-05 is a Thursday, 2026-11-01 a Sunday and 2026-11-02 a Monday.
    expect(new Date(bucketStart('2026-11-05T10', 'week')).toISOString()).toBe('2026-11-02T00:00:00.000Z');
    expect(new Date(bucketStart('2026-11-01T23', 'week')).toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(new Date(bucketStart('2026-11-02T00', 'week')).toISOString()).toBe('2026-11-02T00:00:00.000Z');
  });

  it('refuses what is not an hour of a batch', () => {
    expect(() => bucketStart('2026-11-05', 'day')).toThrow(RangeError);
  });
});

describe('TimelineTally', () => {
  it('sums the hours of several batches per model version and in total, by day', () => {
    const tally = new TimelineTally('day');
    tally.add('model:b@1', [{ hour: '2026-11-05T23', count: 4 }]);
    tally.add('model:a@1', [
      { hour: '2026-11-05T10', count: 2 },
      { hour: '2026-11-06T00', count: 1 },
    ]);
    tally.add('model:a@1', [{ hour: '2026-11-05T11', count: 3 }]);

    expect(tally.timeline()).toEqual({
      bucket: 'day',
      total: 10,
      buckets: [
        { start: '2026-11-05T00:00:00.000Z', count: 9 },
        { start: '2026-11-06T00:00:00.000Z', count: 1 },
      ],
      byModelVersion: [
        {
          id: 'model:a@1',
          count: 6,
          buckets: [
            { start: '2026-11-05T00:00:00.000Z', count: 5 },
            { start: '2026-11-06T00:00:00.000Z', count: 1 },
          ],
        },
        { id: 'model:b@1', count: 4, buckets: [{ start: '2026-11-05T00:00:00.000Z', count: 4 }] },
      ],
    });
  });

  it('leaves out model versions and buckets without predictions', () => {
    const tally = new TimelineTally('hour');
    tally.add('model:a@1', []);
    tally.add('model:b@1', [{ hour: '2026-11-05T10', count: 0 }]);
    expect(tally.timeline()).toEqual({ bucket: 'hour', total: 0, buckets: [], byModelVersion: [] });
  });
});
