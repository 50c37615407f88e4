import { judgeMemory, RssSample } from './memory-curve';

const MiB = 1024 * 1024;
const curve = (n: number, rss: (i: number) => number): RssSample[] =>
  Array.from({ length: n }, (_, i) => ({ atS: i * 5, rssBytes: rss(i) }));

describe('judgeMemory', () => {
  it('accepts a flat curve with noise and a warm-up climb', () => {
    const verdict = judgeMemory(curve(60, (i) => (i < 5 ? 100 + i * 40 : 300 + (i % 3) * 4) * MiB));
    expect(verdict.bounded).toBe(true);
    expect(verdict.reason).toBeUndefined();
  });

  it('rejects steady growth even when each step is small', () => {
    const verdict = judgeMemory(curve(120, (i) => (200 + i * 1.5) * MiB));
    expect(verdict.bounded).toBe(false);
    expect(verdict.reason).toMatch(/late maximum .* exceeds early/);
    expect(verdict.slopeBytesPerMinute / MiB).toBeCloseTo(18, 0);
  });

  it('accepts growth within the absolute margin for a small process', () => {
    expect(judgeMemory(curve(60, (i) => (40 + i * 0.5) * MiB)).bounded).toBe(true);
  });

  it('refuses to judge from too few samples', () => {
    expect(judgeMemory(curve(4, () => 100 * MiB))).toMatchObject({ bounded: false, reason: /too few samples/ });
  });
});
