import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PREDICTIONS_PER_BATCH } from '../bench-options';
import { BenchRow, formatTable, machineInfo, row, writeResults } from '../report/bench-report';
import { EmbeddedBenchOptions, measureEmbedded } from './embedded-bench';

const RESULTS_DIRECTORY = join(__dirname, '..', '..', 'results');

export const USAGE = `usage: npm run bench:embedded -- [options]

The embedded mode (npm start: file log, views on disk), no servers needed.
At each scale: a data directory whose log holds that many predictions, built
by prov up from scratch, traced, stopped and started again.

  --scales <n,n,...>       predictions at each measurement (default 1000000,10000000)
  --models <n>             model versions (default 1000)
  --connections <n>        concurrent HTTP connections while traces are measured (default 10)
  --duration <seconds>     length of the trace measurement (default 20)
  --trace-rate <n>         traces offered per second (default 100)
  --memory-store-up-to <n> scales up to which the in-memory store builds the same log too (default 1000000)
  --memory-limit-mib <n>   runs each prov up on the views on disk in a memory cgroup of this limit, as a container
                           would (needs a writable cgroup filesystem); by default none
  --help`;

function say(line: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

function parseOptions(argv: string[]): EmbeddedBenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      scales: { type: 'string' },
      models: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      'trace-rate': { type: 'string' },
      'memory-store-up-to': { type: 'string' },
      'memory-limit-mib': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const positive = (name: string, text: string) => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`${name} must be a positive integer, got ${text}\n\n${USAGE}`);
    return value;
  };
  const scales = (values.scales ?? '1000000,10000000').split(',').map((s) => positive('--scales', s.trim()));
  if (scales.some((s) => s % PREDICTIONS_PER_BATCH !== 0)) {
    throw new Error(`--scales must be multiples of ${PREDICTIONS_PER_BATCH}\n\n${USAGE}`);
  }
  return {
    scales,
    models: positive('--models', values.models ?? '1000'),
    connections: positive('--connections', values.connections ?? '10'),
    durationSeconds: positive('--duration', values.duration ?? '20'),
    traceRate: positive('--trace-rate', values['trace-rate'] ?? '100'),
    memoryStoreUpTo: positive('--memory-store-up-to', values['memory-store-up-to'] ?? '1000000'),
    ...(values['memory-limit-mib'] === undefined
      ? {}
      : { memoryLimitMiB: positive('--memory-limit-mib', values['memory-limit-mib']) }),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const machine = machineInfo();
  say(
    `options ${JSON.stringify(options)}; ${machine.cores} cores, load ${machine.loadAverageAtStart.map((l) => l.toFixed(1)).join(' ')}`,
  );
  const rows: BenchRow[] = [];
  for (const scale of options.scales) {
    const measured = await measureEmbedded(scale, options, say);
    rows.push(...measured.rows);
    for (const peak of measured.peaks.slice(2)) {
      rows.push(
        row({
          row: `peak RSS, ${peak.process}`,
          figure: peak.peakRssBytes / 2 ** 20,
          unit: 'MiB',
          notes: `pid ${peak.pid}; VmHWM`,
        }),
      );
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  machine.loadAverageAtEnd = loadavg();
  console.log(formatTable(rows));
  console.log(`\nwall time ${(wallSeconds / 60).toFixed(1)} min; no servers (embedded mode)`);
  const file = writeResults(RESULTS_DIRECTORY, {
    startedAt,
    finishedAt: new Date().toISOString(),
    wallSeconds,
    machine,
    options,
    servers: 'none (embedded mode)',
    rows,
  });
  console.log(`results: ${file}`);
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
