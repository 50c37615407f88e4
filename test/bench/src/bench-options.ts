import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run bench -- [options]

  --scales <n,n,...>     predictions in the store at each trace measurement, ascending (default 100000,1000000)
  --models <n>           model versions, each with its run and a deployment serving it (default 1000)
  --connections <n>      concurrent HTTP connections (and raw driver callers) under load (default 10)
  --duration <seconds>   length of each load measurement (default 20)
  --trace-rate <n>       traces (and raw reads) offered per second while latency is measured (default 100)
  --raw-sample <n>       predictions the raw driver bulk insert writes at each scale (default 100000)
  --rebuild-scale <n>    the scale at which the live projector's full replay is measured, and one then two projector
                         replicas project and rebuild that many predictions from scratch (default: the first scale;
                         the in-memory projector's replay is measured at the last)
  --resend-scales <n,..> scales at which a log with a tenth of its prediction ids sent again is projected from scratch
                         and its counts checked (default: the first scale; its cost grows with the square of the scale)
  --help

Without KAFKA_BROKERS and MONGODB_URI, the bench starts its own Kafka and
FerretDB on PostgreSQL with deploy/local/infra.sh (ports 39092, 39093, 37017, 35433).`;

/** Predictions per prediction.batch.recorded event, as a serving process would batch them. */
export const PREDICTIONS_PER_BATCH = 1000;

export interface BenchOptions {
  scales: number[];
  models: number;
  connections: number;
  durationSeconds: number;
  traceRate: number;
  rawSample: number;
  rebuildScale: number;
  resendScales: number[];
}

export class BenchUsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n\n${USAGE}`);
    this.name = 'BenchUsageError';
  }
}

export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scales: { type: 'string' },
        models: { type: 'string' },
        connections: { type: 'string' },
        duration: { type: 'string' },
        'trace-rate': { type: 'string' },
        'raw-sample': { type: 'string' },
        'rebuild-scale': { type: 'string' },
        'resend-scales': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values['help']) return 'help';
  const scales = String(values['scales'] ?? '100000,1000000')
    .split(',')
    .map((s) => positiveInteger('--scales', s.trim()));
  if (scales.some((s, i) => s % PREDICTIONS_PER_BATCH !== 0 || (i > 0 && s <= scales[i - 1]))) {
    throw new BenchUsageError(
      `--scales must ascend, each a multiple of ${PREDICTIONS_PER_BATCH} (got ${scales.join(',')})`,
    );
  }
  const rebuildScale =
    values['rebuild-scale'] === undefined ? scales[0] : positiveInteger('--rebuild-scale', values['rebuild-scale']);
  if (!scales.includes(rebuildScale)) {
    throw new BenchUsageError(`--rebuild-scale must be one of the scales (${scales.join(',')}), got ${rebuildScale}`);
  }
  const resendScales =
    values['resend-scales'] === undefined
      ? [scales[0]]
      : String(values['resend-scales'])
          .split(',')
          .map((s) => positiveInteger('--resend-scales', s.trim()));
  if (resendScales.some((s) => !scales.includes(s))) {
    throw new BenchUsageError(
      `--resend-scales must be among the scales (${scales.join(',')}), got ${resendScales.join(',')}`,
    );
  }
  const rawSample = positiveInteger('--raw-sample', values['raw-sample'] ?? '100000');
  if (rawSample % PREDICTIONS_PER_BATCH !== 0) {
    throw new BenchUsageError(`--raw-sample must be a multiple of ${PREDICTIONS_PER_BATCH}, got ${rawSample}`);
  }
  return {
    scales,
    models: positiveInteger('--models', values['models'] ?? '1000'),
    connections: positiveInteger('--connections', values['connections'] ?? '10'),
    durationSeconds: positiveInteger('--duration', values['duration'] ?? '20'),
    traceRate: positiveInteger('--trace-rate', values['trace-rate'] ?? '100'),
    rawSample,
    rebuildScale,
    resendScales,
  };
}

function positiveInteger(name: string, text: string | boolean): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new BenchUsageError(`${name} must be a positive integer, got ${String(text)}`);
  return value;
}
