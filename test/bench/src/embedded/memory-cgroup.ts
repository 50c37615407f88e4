import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';

/**
 * A memory cgroup of the kernel's (v2, or v1's memory controller) with a
 * limit, under this process's own, for one process: what a container's
 * memory limit is. The limit counts the process's own memory and the file
 * pages it maps (LMDB's map), which the kernel takes back from the process
 * when the group reaches it; its own memory it cannot take back.
 */
export class MemoryCgroup {
  private constructor(
    private readonly directory: string,
    private readonly version: 1 | 2,
  ) {}

  /** Fails, saying why, where memory cgroups cannot be made (no cgroup filesystem, or not allowed). */
  static create(name: string, limitBytes: number): MemoryCgroup {
    const v2 = existsSync(join(CGROUP_ROOT, 'cgroup.controllers'));
    const own = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .find(([, controllers]) => (v2 ? controllers === '' : controllers.split(',').includes('memory')));
    if (!own) throw new Error('--memory-limit-mib: this process is in no memory cgroup (/proc/self/cgroup)');
    const base = v2 ? CGROUP_ROOT : join(CGROUP_ROOT, 'memory');
    const directory = join(base, own[2], name);
    try {
      mkdirSync(directory);
      writeFileSync(join(directory, v2 ? 'memory.max' : 'memory.limit_in_bytes'), String(limitBytes));
      if (v2) writeFileSync(join(directory, 'memory.swap.max'), '0');
    } catch (error) {
      throw new Error(`--memory-limit-mib: cannot make the memory cgroup ${directory}: ${(error as Error).message}`);
    }
    return new MemoryCgroup(directory, v2 ? 2 : 1);
  }

  add(pid: number): void {
    writeFileSync(join(this.directory, 'cgroup.procs'), String(pid));
  }

  /** The most memory the group was charged (v2 kernels before 5.19 keep no peak: undefined). */
  peakBytes(): number | undefined {
    const file = join(this.directory, this.version === 2 ? 'memory.peak' : 'memory.max_usage_in_bytes');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
  }

  /** Removes the group once its process is gone. */
  remove(): void {
    try {
      rmdirSync(this.directory);
    } catch {
      // A group that still holds a process (it did not exit) stays; the kernel keeps it harmlessly.
    }
  }
}
