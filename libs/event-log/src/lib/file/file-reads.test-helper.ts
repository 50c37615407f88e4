import { FileHandle, open } from 'node:fs/promises';

/**
 * The bytes read through file handles (which segments read with) while
 * `action` runs: what opening a log costs, without timing it.
 */
export async function bytesReadDuring(action: () => Promise<unknown>): Promise<number> {
  const handle = await open(__filename, 'r');
  const prototype: FileHandle = Object.getPrototypeOf(handle);
  await handle.close();
  const read = jest.spyOn(prototype, 'read');
  try {
    await action();
    const results = await Promise.all(read.mock.results.map((result) => result.value));
    return results.reduce((sum, { bytesRead }) => sum + bytesRead, 0);
  } finally {
    read.mockRestore();
  }
}
