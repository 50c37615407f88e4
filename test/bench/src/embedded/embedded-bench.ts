import { ALL_TOPICS, DEFAULT_TOPIC_PARTITIONS } from '@prov/contracts';
import { FileEventLog } from '@prov/event-log';
import { EmbeddedPlatformProcess } from '@prov/testing';
import { MemoryCgroup } from './memory-cgroup';
import { open as openLmdb } from 'lmdb';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREDICTIONS_PER_BATCH } from '../bench-options';
import { KeptAliveGets } from '../measure/http-load';
import { profilingOptions } from '../processes/service-process';
import { LatencySample, runAtRate } from '../measure/latency-sample';
import { verificationRate } from '../measure/verification-rate';
import { pollUntil } from '../measure/poll-until';
import type { PeakMemory } from '../processes/service-process';
import { BenchRow, row } from '../report/bench-report';
import { ProvenanceWorkload } from '../workload/provenance-workload';
import { publishMessages, publishPredictionBatches } from '../workload/workload-publisher';

export interface EmbeddedBenchOptions {
  scales: number[];
  models: number;
  connections: number;
  durationSeconds: number;
  traceRate: number;
  /** Scales up to which a platform on the in-memory store builds the same log, for comparison. */
  memoryStoreUpTo: number;
  /** Each `prov up` of the embedded mode runs in a memory cgroup of this limit (MiB), as in a container. */
  memoryLimitMiB?: number;
}

/** A first build (or a restart) this long without progress is a failure, not a slow run. */
const STALL_SECONDS = 180;
/** Goals of the embedded mode at 10M predictions (and the in-memory store's rate it must keep). */
const GOALS = { peakRssMiB: 1024, traceP99Ms: 5, restartSeconds: 5, projectionPerSecond: 44_000 };

type Say = (line: string) => void;

/**
 * The embedded mode (`npm start`: file log, views on disk) at one scale:
 * a data directory whose log holds the lineage and `scale` predictions,
 * built by `prov up` from scratch; traces at a steady rate; a stop and a
 * restart, timed until a trace is answered; and the peak memory of the
 * platform's one process. Raw limits: the parse-and-verify rate of the
 * same events, and the LMDB point read of the same prediction documents
 * by this process while the platform runs.
 */
export async function measureEmbedded(
  scale: number,
  options: EmbeddedBenchOptions,
  say: Say,
): Promise<{ rows: BenchRow[]; peaks: PeakMemory[] }> {
  const label = `${scale.toLocaleString('en-US')} predictions`;
  const dataDirectory = mkdtempSync(join(tmpdir(), 'prov-bench-embedded-'));
  const rows: BenchRow[] = [];
  const peaks: Array<PeakMemory & { chargedBytes?: number }> = [];
  try {
    const workload = new ProvenanceWorkload(options.models, PREDICTIONS_PER_BATCH);
    const env = { PROV_TRUSTED_KEYS: workload.trustedKeysJson(), PROV_PROJECTOR_POLL_MS: '200' };
    const cgroups = new Map<EmbeddedPlatformProcess, MemoryCgroup>();
    const launch = async (name: string, settings: Record<string, string> = {}, nodeOptions: string[] = []) => {
      const platform = await EmbeddedPlatformProcess.start(name, dataDirectory, { ...env, ...settings }, [
        ...nodeOptions,
        ...profilingOptions(name),
      ]);
      if (options.memoryLimitMiB !== undefined && settings['PROV_STORE'] === undefined) {
        const cgroup = MemoryCgroup.create(`prov-bench-${platform.pid}`, options.memoryLimitMiB * 2 ** 20);
        cgroup.add(platform.pid);
        cgroups.set(platform, cgroup);
      }
      return platform;
    };
    /** Stops it, and says what its memory cgroup was charged at most (when it ran in one). */
    const stop = async (platform: EmbeddedPlatformProcess) => {
      const stopped = await platform.stop();
      const cgroup = cgroups.get(platform);
      const charged = cgroup?.peakBytes();
      cgroup?.remove();
      return { ...stopped, chargedBytes: charged };
    };
    const sample = await writeLog(dataDirectory, workload, scale, say);
    const logBytes = bytesUnder(join(dataDirectory, 'log'));

    say(`embedded @${label}: first build`);
    const first = await launch(`platform (embedded, ${label})`);
    let built: { seconds: number; traces: Awaited<ReturnType<typeof measureTraces>> };
    try {
      const answering = await untilAnswering(first);
      await untilReady(first);
      const seconds = ((first.readyAfterMs as number) - answering) / 1000;
      say(`embedded @${label}: built in ${seconds.toFixed(1)} s; traces`);
      built = { seconds, traces: await measureTraces(first, scale, options) };
    } finally {
      const stopped = await stop(first);
      peaks.push(stopped);
      say(`embedded @${label}: stopped in ${stopped.stopSeconds.toFixed(1)} s`);
    }
    const viewBytes = bytesUnder(join(dataDirectory, 'views'));

    say(`embedded @${label}: restart`);
    const again = await launch(`platform (embedded, ${label}, restarted)`);
    let restartSeconds: number;
    try {
      restartSeconds = (await untilTraceAnswered(again, scale)) / 1000;
      await untilReady(again);
    } finally {
      peaks.push(await stop(again));
    }

    const projection = scale / built.seconds;
    const verification = verificationRate(workload, sample);
    const { traces } = built;
    const steadyNotes = `${options.traceRate} requests/s offered for ${options.durationSeconds} s, ${options.connections} connections, a random prediction per request; raw: get() of the same random prediction documents from the active generation's LMDB database, by this process, at the same rate and concurrency while the platform runs`;
    rows.push(
      row({
        row: `embedded projection @${label}`,
        figure: projection,
        unit: 'predictions/s',
        raw: verification,
        notes: `prov up on a data directory whose file log holds the lineage and ${label} (${(logBytes / 2 ** 30).toFixed(2)} GiB), timed from its answering to its first generation active (${built.seconds.toFixed(1)} s); raw: JSON.parse and verifyEnvelope of the same messages in one process`,
        goal: {
          text: `>= ${GOALS.projectionPerSecond.toLocaleString('en-US')} predictions/s (the in-memory store's)`,
          met: projection >= GOALS.projectionPerSecond,
        },
      }),
      ...(['p50', 'p99'] as const).map((name) =>
        row({
          row: `embedded trace ${name} @${label}`,
          figure: traces.trace[name],
          unit: 'ms',
          raw: traces.raw[name],
          notes:
            name === 'p99'
              ? `${steadyNotes}; max ${traces.trace.max.toFixed(1)} ms vs raw ${traces.raw.max.toFixed(1)} ms`
              : steadyNotes,
          ...(name === 'p99' && scale >= 10_000_000
            ? {
                goal: {
                  text: `p99 <= ${GOALS.traceP99Ms} ms at 10M predictions`,
                  met: traces.trace.p99 <= GOALS.traceP99Ms,
                },
              }
            : {}),
        }),
      ),
      row({
        row: `embedded restart to a trace answered @${label}`,
        figure: restartSeconds,
        unit: 's',
        notes: `prov up again on the same data directory after a SIGTERM, timed from the spawn of its process (Node.js and SWC loading the sources included) to the first trace of a random prediction answered 200`,
        ...(scale >= 1_000_000
          ? { goal: { text: `<= ${GOALS.restartSeconds} s`, met: restartSeconds <= GOALS.restartSeconds } }
          : {}),
      }),
      row({
        row: `embedded peak RSS @${label}`,
        figure: peaks[0].peakRssBytes / 2 ** 20,
        unit: 'MiB',
        notes: `the platform's one process (VmHWM) through its first build and the trace load, of which at most ${mib(first.peaks.anonymous)} MiB its own memory (RssAnon, sampled every 200 ms) and at most ${mib(first.peaks.file)} MiB mapped from files (RssFile: code, and the pages of LMDB's memory map, which the kernel takes back when memory is short); after the restart: ${mib(peaks[1].peakRssBytes)} MiB${
          options.memoryLimitMiB === undefined
            ? ''
            : `; in a memory cgroup limited to ${options.memoryLimitMiB} MiB (charged at most ${mib(peaks[0].chargedBytes ?? Number.NaN)} MiB), as in a container`
        }`,
        ...(scale >= 10_000_000
          ? {
              goal: {
                text: `<= ${GOALS.peakRssMiB} MiB at 10M predictions`,
                met: peaks[0].peakRssBytes / 2 ** 20 <= GOALS.peakRssMiB,
              },
            }
          : {}),
      }),
      row({
        row: `embedded peak own memory (RssAnon) @${label}`,
        figure: first.peaks.anonymous / 2 ** 20,
        unit: 'MiB',
        notes: `the part of the peak RSS above that is the process's own (heap, stacks, LMDB's write buffers), sampled every 200 ms; what a memory limit cannot take back`,
      }),
      row({
        row: `embedded bytes on disk per prediction @${label}`,
        figure: viewBytes / scale,
        unit: 'bytes',
        notes: `the views directory (LMDB) after the build, over ${label}; the file log: ${(logBytes / scale).toFixed(0)} bytes per prediction`,
      }),
    );

    if (scale <= options.memoryStoreUpTo) {
      say(`embedded @${label}: the same log into the in-memory store`);
      const memory = await launch(`platform (in-memory store, ${label})`, { PROV_STORE: 'memory' }, [
        // A million predictions held as objects need more than the default old space.
        '--max-old-space-size=6144',
      ]);
      try {
        const answering = await untilAnswering(memory);
        await untilReady(memory);
        const seconds = ((memory.readyAfterMs as number) - answering) / 1000;
        rows.push(
          row({
            row: `embedded projection, in-memory store @${label}`,
            figure: scale / seconds,
            unit: 'predictions/s',
            raw: verification,
            notes: `the same log and process with PROV_STORE=memory (${seconds.toFixed(1)} s), for comparison in the same run`,
          }),
        );
      } finally {
        peaks.push(await memory.stop());
      }
    }
    return { rows, peaks };
  } finally {
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

/** Writes the lineage and `scale` predictions into the data directory's file log; returns a sample of batches. */
async function writeLog(
  dataDirectory: string,
  workload: ProvenanceWorkload,
  scale: number,
  say: Say,
): Promise<ReturnType<ProvenanceWorkload['predictionBatch']>[]> {
  const started = performance.now();
  // Not what is measured: the platform's own ingest fsyncs; here the log is only made.
  const log = await FileEventLog.open(join(dataDirectory, 'log'), { fsync: 'never' });
  const sample: ReturnType<ProvenanceWorkload['predictionBatch']>[] = [];
  try {
    await log.ensureTopics(ALL_TOPICS.map((name) => ({ name, partitions: DEFAULT_TOPIC_PARTITIONS })));
    for (const stage of workload.lineageStages()) await publishMessages(log, stage);
    await publishPredictionBatches(log, workload, 0, scale / PREDICTIONS_PER_BATCH, (event) => {
      if (sample.length < 20) sample.push(event);
    });
  } finally {
    await log.close();
  }
  say(
    `wrote the log of ${scale.toLocaleString('en-US')} predictions in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return sample;
}

/** Milliseconds from spawn until its projector answers. */
async function untilAnswering(platform: EmbeddedPlatformProcess): Promise<number> {
  await pollUntil(
    `${platform.label} to answer`,
    async () => {
      platform.assertRunning();
      const ok = await fetch(`${platform.url('projector')}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      return { done: ok, progress: '' };
    },
    { stallSeconds: 120, diagnosis: () => platform.tail() },
  );
  return platform.age;
}

/** Until it printed its `ready:` record (its views hold the whole log), failing when it stops progressing. */
async function untilReady(platform: EmbeddedPlatformProcess): Promise<void> {
  const generations = `${platform.url('projector')}/v1/generations`;
  await pollUntil(
    `${platform.label} to be ready`,
    async () => {
      platform.assertRunning();
      if (platform.readyAfterMs !== undefined) return { done: true, progress: '' };
      const listing = (await fetch(generations, { headers: { authorization: `Bearer ${platform.token}` } }).then((r) =>
        r.json(),
      )) as { generations: Array<{ progress?: { processed: number } }> };
      return { done: false, progress: JSON.stringify(listing.generations.map((g) => g.progress?.processed)) };
    },
    { stallSeconds: STALL_SECONDS, diagnosis: () => platform.tail() },
  );
}

/** Milliseconds from spawn until a trace of a random prediction is answered 200. */
async function untilTraceAnswered(platform: EmbeddedPlatformProcess, scale: number): Promise<number> {
  for (;;) {
    platform.assertRunning();
    const id = ProvenanceWorkload.predictionId(randomInt(scale));
    const status = await readTokenSafely(platform).then(
      (token) =>
        token === undefined
          ? 0
          : fetch(`${platform.url('gateway')}/v1/predictions/${encodeURIComponent(id)}/trace`, {
              headers: { authorization: `Bearer ${token}` },
            }).then(
              (r) => r.status,
              () => 0,
            ),
      () => 0,
    );
    if (status === 200) return platform.age;
    if (platform.age > STALL_SECONDS * 1000)
      throw new Error(`${platform.label} answered no trace in ${STALL_SECONDS} s:\n${platform.tail()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function readTokenSafely(platform: EmbeddedPlatformProcess): Promise<string | undefined> {
  try {
    return platform.token;
  } catch {
    return undefined;
  }
}

/** Traces at a steady rate, alternating with the raw LMDB read of the same documents, in two rounds each. */
async function measureTraces(platform: EmbeddedPlatformProcess, scale: number, options: EmbeddedBenchOptions) {
  const { connections, durationSeconds, traceRate } = options;
  const active = (
    (await fetch(`${platform.url('projector')}/v1/generations`, {
      headers: { authorization: `Bearer ${platform.token}` },
    }).then((r) => r.json())) as { active: string }
  ).active;
  // LMDB is made for readers in other processes: this one reads the map the platform writes.
  const environment = openLmdb({
    path: join(platform.dataDirectory, 'views', 'views.mdb'),
    readOnly: true,
    maxDbs: 1_000,
  });
  const predictions = environment.openDB<string, string>(`v/${active}/predictions`, { encoding: 'string' });
  const path = () => `/v1/predictions/${encodeURIComponent(ProvenanceWorkload.predictionId(randomInt(scale)))}/trace`;
  const gets = new KeptAliveGets(platform.url('gateway'), connections, { authorization: `Bearer ${platform.token}` });
  const trace = new LatencySample();
  const raw = new LatencySample();
  let [traceSeconds, rawSeconds] = [0, 0];
  try {
    const traceRound = async (seconds: number, into: LatencySample) =>
      (await runAtRate(seconds, traceRate, connections, async () => into.add(await gets.get(path())))).seconds;
    const rawRound = async (seconds: number, into: LatencySample) =>
      (
        await runAtRate(seconds, traceRate, connections, async () => {
          const id = ProvenanceWorkload.predictionId(randomInt(scale));
          const started = performance.now();
          const found = predictions.get(id);
          into.add(performance.now() - started);
          if (found === undefined) throw new Error(`the raw read found no ${id} in generation ${active}`);
        })
      ).seconds;
    await traceRound(2, new LatencySample());
    for (let round = 0; round < 2; round++) {
      traceSeconds += await traceRound(durationSeconds / 2, trace);
      rawSeconds += await rawRound(durationSeconds / 2, raw);
    }
  } finally {
    gets.close();
    await environment.close();
  }
  return { trace: trace.summary(traceSeconds), raw: raw.summary(rawSeconds) };
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** Bytes the files under a directory take on disk (blocks: LMDB's map file may be sparse). */
function bytesUnder(directory: string): number {
  let total = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath ?? entry.path, entry.name)).blocks * 512;
  }
  return total;
}
