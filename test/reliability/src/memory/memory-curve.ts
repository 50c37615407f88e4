/** One reading of a process's resident set size. */
export interface RssSample {
  /** Seconds since sampling began. */
  atS: number;
  rssBytes: number;
}

export interface MemoryBound {
  /** Share of the run treated as warm-up (JIT, caches, pools filling) and left out of both checks. */
  warmUpShare: number;
  /** Allowed growth, relative to the early maximum... */
  relativeMargin: number;
  /** ...but never less than this many bytes (small processes move by a few pages). */
  absoluteMarginBytes: number;
}

/** Settle for 15 % of the run, then the late maximum may exceed the early one by 25 % or 48 MiB, whichever is larger. */
export const DEFAULT_MEMORY_BOUND: MemoryBound = {
  warmUpShare: 0.15,
  relativeMargin: 0.25,
  absoluteMarginBytes: 48 * 1024 * 1024,
};

export interface MemoryVerdict {
  bounded: boolean;
  /** Maximum over the first and the last third of the samples after warm-up. */
  earlyMaxBytes: number;
  lateMaxBytes: number;
  allowedBytes: number;
  /** Least-squares slope after warm-up, and the growth it projects over that span. */
  slopeBytesPerMinute: number;
  projectedGrowthBytes: number;
  reason?: string;
}

/**
 * Whether a process's memory stayed bounded: after warm-up, the last third's
 * maximum stays within the margin of the first third's, and the trend (a
 * least-squares line) does not climb by more than the margin either.
 */
export function judgeMemory(samples: readonly RssSample[], bound: MemoryBound = DEFAULT_MEMORY_BOUND): MemoryVerdict {
  const end = samples.length > 0 ? samples[samples.length - 1].atS : 0;
  const settled = samples.filter((s) => s.atS >= end * bound.warmUpShare);
  if (settled.length < 6) {
    return {
      bounded: false,
      earlyMaxBytes: 0,
      lateMaxBytes: 0,
      allowedBytes: 0,
      slopeBytesPerMinute: 0,
      projectedGrowthBytes: 0,
      reason: `too few samples after warm-up (${settled.length}, need 6)`,
    };
  }
  const third = Math.floor(settled.length / 3);
  const max = (xs: readonly RssSample[]) => Math.max(...xs.map((s) => s.rssBytes));
  const earlyMaxBytes = max(settled.slice(0, third));
  const lateMaxBytes = max(settled.slice(settled.length - third));
  const allowedBytes = Math.max(earlyMaxBytes * bound.relativeMargin, bound.absoluteMarginBytes);
  const slopePerS = leastSquaresSlope(settled);
  const projectedGrowthBytes = slopePerS * (settled[settled.length - 1].atS - settled[0].atS);
  const reasons: string[] = [];
  if (lateMaxBytes - earlyMaxBytes > allowedBytes)
    reasons.push(`late maximum ${mib(lateMaxBytes)} exceeds early ${mib(earlyMaxBytes)} by more than ${mib(allowedBytes)}`);
  if (projectedGrowthBytes > allowedBytes)
    reasons.push(`trend climbs ${mib(projectedGrowthBytes)} over the run, more than ${mib(allowedBytes)}`);
  return {
    bounded: reasons.length === 0,
    earlyMaxBytes,
    lateMaxBytes,
    allowedBytes,
    slopeBytesPerMinute: slopePerS * 60,
    projectedGrowthBytes,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
  };
}

function leastSquaresSlope(samples: readonly RssSample[]): number {
  const n = samples.length;
  const meanX = samples.reduce((s, p) => s + p.atS, 0) / n;
  const meanY = samples.reduce((s, p) => s + p.rssBytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of samples) {
    num += (p.atS - meanX) * (p.rssBytes - meanY);
    den += (p.atS - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
