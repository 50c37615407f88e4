import { execFile } from 'node:child_process';
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** A filesystem of a few MiB of its own, to fill up: a tmpfs, or else a loop-mounted ext4 image. */
export interface SmallFilesystem {
  path: string;
  kind: 'tmpfs' | 'loop-ext4';
  freeBytes(): Promise<number>;
  unmount(): Promise<void>;
}

/**
 * Mounts a small filesystem (needs root, or the mount capability). Tries a
 * tmpfs first, then an ext4 image on a loop device; fails, saying why, when
 * neither can be mounted: the disk-full fault cannot be simulated faithfully
 * any other way.
 */
export async function mountSmallFilesystem(sizeMiB: number): Promise<SmallFilesystem> {
  const path = await mkdtemp(join(tmpdir(), 'reliability-disk-'));
  const freeBytes = async () => {
    const stats = await statfs(path);
    return stats.bavail * stats.bsize;
  };
  const failures: string[] = [];
  try {
    await exec('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', path]);
    return { path, kind: 'tmpfs', freeBytes, unmount: () => unmount(path) };
  } catch (error) {
    failures.push(`tmpfs: ${(error as Error).message}`);
  }
  const image = `${path}.img`;
  try {
    await exec('truncate', ['-s', `${sizeMiB}M`, image]);
    await exec('mkfs.ext4', ['-q', '-F', image]);
    await exec('mount', ['-o', 'loop', image, path]);
    return {
      path,
      kind: 'loop-ext4',
      freeBytes,
      unmount: async () => {
        await unmount(path);
        await rm(image, { force: true });
      },
    };
  } catch (error) {
    failures.push(`loop-mounted ext4: ${(error as Error).message}`);
  }
  await rm(path, { recursive: true, force: true });
  await rm(image, { force: true });
  throw new Error(
    `The disk-full fault test needs a small filesystem of its own and could mount none (run it as root, or with CAP_SYS_ADMIN):\n${failures.join('\n')}`,
  );
}

async function unmount(path: string): Promise<void> {
  await exec('umount', [path]);
  await rm(path, { recursive: true, force: true });
}
