import { readFileSync } from 'node:fs';

const FIELDS = { current: 'VmRSS', peak: 'VmHWM', anonymous: 'RssAnon', file: 'RssFile' } as const;

/**
 * A running process's resident memory from the kernel (`/proc/<pid>/status`):
 * `current` (VmRSS), `peak` (VmHWM), or the current part of it that is the
 * process's own (`anonymous`: heap, stacks) or mapped from files (`file`:
 * code, and a memory-mapped database's pages, which the kernel may take
 * back whenever memory is short), in bytes; undefined once it is gone.
 */
export function residentMemoryOf(pid: number, which: keyof typeof FIELDS): number | undefined {
  const field = FIELDS[which];
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
