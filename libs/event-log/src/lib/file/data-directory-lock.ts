import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataDirectoryLockedError } from './file-event-log.errors';

/**
 * One writer per data directory: `LOCK` holds the owner's pid. A lock whose
 * process is gone (a crash) is taken over; a live owner, this process
 * included, makes `acquire` fail with DataDirectoryLockedError.
 */
export class DataDirectoryLock {
  private constructor(private readonly file: string) {}

  static async acquire(directory: string): Promise<DataDirectoryLock> {
    const file = join(directory, 'LOCK');
    for (;;) {
      if (await createLockFile(file)) return new DataDirectoryLock(file);
      const owner = await readOwner(file);
      if (owner === undefined) continue; // released meanwhile
      if (isAlive(owner)) throw new DataDirectoryLockedError(directory, owner);
      await takeOverStaleLock(directory, file);
    }
  }

  async release(): Promise<void> {
    await unlink(this.file);
  }
}

/**
 * Creates the lock with its content in one step (write a private file, then
 * hard-link it into place), so that no one ever reads a lock without a pid.
 */
async function createLockFile(file: string): Promise<boolean> {
  const draft = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(draft, `${process.pid}\n`);
  try {
    await link(draft, file);
    return true;
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await unlink(draft);
  }
}

async function readOwner(file: string): Promise<number | undefined> {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  const pid = Number(text.trim());
  // Locks are created whole, so a garbled one is damage, not an owner mid-write: treat it as stale.
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

/**
 * Moves the stale lock aside rather than deleting it, so that two processes
 * taking over at once cannot delete the lock the faster one just created: the
 * slower one finds a live pid in what it moved, puts it back and gives up.
 */
async function takeOverStaleLock(directory: string, file: string): Promise<void> {
  const aside = `${file}.stale-${process.pid}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  const owner = await readOwner(aside);
  if (owner !== undefined && owner !== 0 && isAlive(owner)) {
    await link(aside, file).catch((error: unknown) => {
      if (!isCode(error, 'EEXIST')) throw error;
    });
    await unlink(aside);
    throw new DataDirectoryLockedError(directory, owner);
  }
  await unlink(aside);
}

function isAlive(pid: number): boolean {
  if (pid === 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return isCode(error, 'EPERM');
  }
  return !isZombie(pid);
}

/**
 * A killed process nobody has reaped yet (its parent died too, and the
 * container's init does not reap) still answers kill(pid, 0), but holds
 * nothing any more: on Linux its state in /proc says so.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ...": comm may hold spaces and parentheses, so read after the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
