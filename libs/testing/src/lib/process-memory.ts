import { readFileSync } from 'node:fs';

/**
 * A running process's resident memory from the kernel (`/proc/<pid>/status`):
 * `current` (VmRSS) or `peak` (VmHWM), in bytes; undefined once it is gone.
 */
export function residentMemoryOf(pid: number, which: 'current' | 'peak'): number | undefined {
  const field = which === 'current' ? 'VmRSS' : 'VmHWM';
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
