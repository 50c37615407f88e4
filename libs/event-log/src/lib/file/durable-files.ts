import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replaces a file so that a crash leaves either the old or the new content:
 * write a temporary file, fsync it, rename it over the target, fsync the
 * directory. With `sync` false (fsync policy 'never') the fsyncs are skipped
 * but the rename still keeps readers from seeing a half-written file.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array, sync: boolean): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(data);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  if (sync) await syncDirectory(dirname(path));
}

/** Makes a directory's entries (files created, renamed or removed in it) durable. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
