import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

/**
 * One line of the results: our figure next to the raw limit measured in the
 * same run. `ratio` is figure / raw: for rates, the share of the raw limit
 * reached (1 is as fast as the raw limit); for latencies, how many times the
 * raw latency (1 is no overhead).
 */
export interface BenchRow {
  row: string;
  figure: number;
  unit: string;
  raw?: number;
  ratio?: number;
  notes: string;
  /** The DESIGN goal this row is measured against, when it has one, and whether it is met. */
  goal?: { text: string; met: boolean };
}

export function row(entry: Omit<BenchRow, 'ratio'>): BenchRow {
  const ratio = entry.raw === undefined || !(entry.raw > 0) ? undefined : entry.figure / entry.raw;
  return { ...entry, ...(ratio === undefined ? {} : { ratio }) };
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export function machineInfo(): MachineInfo {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg(),
  };
}

/** Human-sized numbers: 3 significant digits, thousands separated. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['row', 'figure', 'unit', 'raw limit', 'ratio', 'notes'];
  const cells = rows.map((r) => [
    r.goal ? `${r.row} ${r.goal.met ? '[goal met]' : '[goal missed]'}` : r.row,
    formatNumber(r.figure),
    r.unit,
    formatNumber(r.raw),
    r.ratio === undefined ? '-' : r.ratio.toFixed(2),
    r.notes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (i === 5 ? 0 : c[i].length))));
  const line = (c: string[]) =>
    c
      .map((text, i) =>
        i === 5 ? text : i === 1 || i === 3 || i === 4 ? text.padStart(widths[i]) : text.padEnd(widths[i]),
      )
      .join(' | ');
  return [line(header), widths.map((w, i) => (i === 5 ? '-----' : '-'.repeat(w))).join('-|-'), ...cells.map(line)].join(
    '\n',
  );
}

/** Writes the results as `test/bench/results/<ISO time, ':' as '-'>.json`; returns its path. */
export function writeResults(directory: string, results: { startedAt: string } & Record<string, unknown>): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${results.startedAt.replace(/:/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
