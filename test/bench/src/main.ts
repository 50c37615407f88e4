import { loadavg } from 'node:os';
import { join } from 'node:path';
import { BenchOptions, BenchUsageError, parseBenchOptions, USAGE } from './bench-options';
import { BenchSession } from './bench-session';
import { openBenchServers } from './infrastructure/bench-servers';
import type { PeakMemory } from './processes/service-process';
import { BenchRow, formatTable, machineInfo, row, writeResults } from './report/bench-report';
import { measureProofLatency } from './rows/audit-proof.bench';
import { measureAuditVerification } from './rows/audit-verification.bench';
import { measureIngest } from './rows/ingest-rate.bench';
import { measureIntegrity } from './rows/integrity-rate.bench';
import { ProjectionBench } from './rows/projection-rate.bench';
import { measureReplicas } from './rows/projector-replicas.bench';
import { measureResends } from './rows/resend-rate.bench';
import { TraceBench } from './rows/trace-latency.bench';

const RESULTS_DIRECTORY = join(__dirname, '..', 'results');

function say(line: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/**
 * The benchmark suite (`npm run bench`): real Kafka and FerretDB on
 * PostgreSQL, the platform's own processes, each figure next to the raw
 * limit measured in the same run. See test/bench/README.md.
 */
async function main(): Promise<void> {
  const parsed = parseBenchOptions(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  const options: BenchOptions = parsed;
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const machine = machineInfo();
  say(
    `options ${JSON.stringify(options)}; ${machine.cores} cores, load ${machine.loadAverageAtStart.map((l) => l.toFixed(1)).join(' ')}`,
  );

  const timings: Record<string, number> = {};
  const opening = performance.now();
  const servers = await openBenchServers(say);
  timings['servers start'] = (performance.now() - opening) / 1000;
  // The servers run in their own sessions: an interrupted bench must still stop them.
  process.once('SIGINT', () => {
    say('interrupted: stopping the servers');
    void servers.stop().finally(() => process.exit(130));
  });
  const rows: BenchRow[] = [];
  const peaks: PeakMemory[] = [];
  try {
    const session = await BenchSession.open(servers, options, say);
    try {
      await runRows(session);
    } finally {
      peaks.push(...servers.peakMemory());
      await session.close().catch((error: Error) => say(`closing the session: ${error.message}`));
      peaks.push(...session.peaks);
      rows.push(...session.rows);
      Object.assign(timings, session.timings);
    }
  } finally {
    const stopping = performance.now();
    await servers.stop();
    if (servers.kind === 'own') timings['servers stop'] = (performance.now() - stopping) / 1000;
  }

  const benchPeak = process.resourceUsage().maxRSS * 1024;
  for (const peak of [
    ...peaks,
    { process: 'bench (this process: load, autocannon, raw clients)', pid: process.pid, peakRssBytes: benchPeak },
  ]) {
    rows.push(
      row({
        row: `peak RSS, ${peak.process}`,
        figure: peak.peakRssBytes / 2 ** 20,
        unit: 'MiB',
        notes: `pid ${peak.pid}; VmHWM${peak.pid === process.pid ? ' (process.resourceUsage().maxRSS)' : ' read from /proc before it stopped'}`,
      }),
    );
  }
  const wallSeconds = (performance.now() - started) / 1000;
  machine.loadAverageAtEnd = loadavg();
  console.log(formatTable(rows));
  console.log(`\nwall time ${(wallSeconds / 60).toFixed(1)} min; ${servers.description}`);
  const file = writeResults(RESULTS_DIRECTORY, {
    startedAt,
    finishedAt: new Date().toISOString(),
    wallSeconds,
    machine,
    options,
    servers: servers.description,
    timingsSeconds: timings,
    rows,
  });
  console.log(`results: ${file}`);
}

async function runRows(session: BenchSession): Promise<void> {
  const { options } = session;
  // First, while none of the platform's other processes runs beside them.
  await measureIngest(session);
  await measureIntegrity(session);
  const projection = new ProjectionBench(session);
  const trace = new TraceBench(session);
  for (const scale of options.scales) {
    const last = scale === options.scales[options.scales.length - 1];
    await projection.growTo(scale, { rebuild: last });
    await trace.measure(scale);
    if (last) {
      await measureProofLatency(session, trace.gatewayProcess, scale);
      await measureAuditVerification(session, trace.gatewayProcess, scale);
    }
    // After that scale's trace, which it would otherwise load; the first scale by default, to keep the run short.
    let oneReplica: { predictionsPerSecond: number; seconds: number } | undefined;
    if (scale === options.rebuildScale) {
      await projection.rebuildLive(scale);
      oneReplica = await measureReplicas(session, scale);
    }
    // Raw: the same projection without re-sends, from scratch when the replica rows measured one at this scale.
    if (options.resendScales.includes(scale)) {
      const label = scale.toLocaleString('en-US');
      const added = projection.projectionRateAt(scale);
      await measureResends(
        session,
        scale,
        oneReplica
          ? {
              predictionsPerSecond: oneReplica.predictionsPerSecond,
              notes: `the one-replica projection of ${label} predictions without re-sends of this run (row "projection, 2 projector replicas"), on topics and a database of its own as here (${oneReplica.seconds.toFixed(1)} s)`,
            }
          : {
              predictionsPerSecond: added.predictionsPerSecond,
              notes: `the live projector's rate folding the ${added.added.toLocaleString('en-US')} predictions without re-sends it was sent at this scale (row "projection @${label} predictions")${added.added < scale ? `, added to a log of ${(scale - added.added).toLocaleString('en-US')} rather than from scratch` : ''}`,
            },
      );
    }
  }
}

main().catch((error: Error) => {
  console.error(error instanceof BenchUsageError ? error.message : `bench failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
