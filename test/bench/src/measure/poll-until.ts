const POLL_MS = 100;
/** A probe that has not answered by then counts as failed (a hung store never answers). */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Polls `probe` until it says done. A probe that fails (a busy process
 * answering late) counts as no progress; so does the same `progress` value.
 * After `stallSeconds` without progress it fails, saying what it waited for
 * and `diagnosis()`: a benchmark must end, with a reason, not hang.
 */
export async function pollUntil(
  what: string,
  probe: () => Promise<{ done: boolean; progress: string }>,
  options: { stallSeconds: number; diagnosis: () => string },
): Promise<void> {
  let last = '';
  let since = performance.now();
  let failure = '';
  for (;;) {
    try {
      let timer: NodeJS.Timeout | undefined;
      const { done, progress } = await Promise.race([
        probe(),
        new Promise<never>((_, fail) => {
          timer = setTimeout(() => fail(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      if (done) return;
      if (progress !== last) {
        last = progress;
        since = performance.now();
      }
      failure = '';
    } catch (error) {
      failure = `; last probe failed: ${(error as Error).message}`;
    }
    if (performance.now() - since > options.stallSeconds * 1000) {
      throw new Error(
        `no progress for ${options.stallSeconds} s while waiting for ${what} (progress ${last || 'none'}${failure})\n${options.diagnosis()}`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
