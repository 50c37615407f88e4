/**
 * Asks until the probe answers (the projector folds each topic on its own,
 * so what a test waits for arrives in its own time), then hands the answer
 * over for asserting; fails naming what it waited for.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
