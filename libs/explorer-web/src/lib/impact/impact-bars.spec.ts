import { MIN_BAR_MS, impactAxis, impactBars } from './impact-bars';

describe('impactBars', () => {
  it('orders the model versions by their first prediction and leaves out those without any', () => {
    const bars = impactBars({
      modelVersions: [],
      deployments: [],
      predictions: {
        total: 30,
        byModelVersion: [
          { id: 'model:b@1', count: 20, firstAt: '2026-11-27T12:00:00.000Z', lastAt: '2026-11-27T13:00:00.000Z' },
          { id: 'model:a@1', count: 10, firstAt: '2026-11-27T10:00:00.000Z', lastAt: '2026-11-27T11:00:00.000Z' },
          { id: 'model:c@1', count: 0, firstAt: '', lastAt: '' },
        ],
      },
    });
    expect(bars).toEqual([
      { modelVersionId: 'model:a@1', count: 10, from: Date.UTC(2026, 10, 27, 10), to: Date.UTC(2026, 10, 27, 11) },
      { modelVersionId: 'model:b@1', count: 20, from: Date.UTC(2026, 10, 27, 12), to: Date.UTC(2026, 10, 27, 13) },
    ]);
  });
});

describe('impactAxis', () => {
  const bar = (from: number, to: number) => ({ modelVersionId: 'model:a@1', count: 1, from, to });

  it('spans the bars with a margin of a twentieth of their span', () => {
    expect(impactAxis([bar(1_000_000, 2_000_000), bar(3_000_000, 3_000_000)])).toEqual({
      min: 1_000_000 - 100_000,
      max: 3_000_000 + 100_000,
    });
  });

  it('keeps at least a minute each side of a single instant, and has no axis without bars', () => {
    expect(impactAxis([bar(5_000_000, 5_000_000)])).toEqual({
      min: 5_000_000 - MIN_BAR_MS,
      max: 5_000_000 + MIN_BAR_MS,
    });
    expect(impactAxis([])).toBeUndefined();
  });
});
