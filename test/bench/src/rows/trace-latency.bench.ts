import { randomInt } from 'node:crypto';
import type { BenchSession } from '../bench-session';
import { KeptAliveGets, runHttpLoad } from '../measure/http-load';
import { LatencySample, runAtRate, runFor } from '../measure/latency-sample';
import type { ServiceProcess } from '../processes/service-process';
import { row } from '../report/bench-report';
import { ProvenanceWorkload } from '../workload/provenance-workload';

const WARM_UP_SECONDS = 2;
/** Gateway and raw reads alternate in this many rounds, so that a store settling after the load (autovacuum, caches) weighs on both alike. */
const ROUNDS = 2;

/**
 * Row 1: `GET /v1/predictions/{id}/trace` on a running query gateway
 * (autocannon, a random existing prediction per request), next to the raw
 * `findOne({_id})` of random predictions on the collection the gateway reads,
 * by the driver, under the same load. Latency is measured at a steady offered
 * rate below saturation: a saturated closed loop only measures its own queue
 * (latency = connections / throughput). Throughput is measured saturated.
 */
export class TraceBench {
  private gateway?: ServiceProcess;

  constructor(private readonly session: BenchSession) {}

  /** The query gateway the trace rows loaded (started by the first measurement). */
  get gatewayProcess(): ServiceProcess {
    if (!this.gateway) throw new Error('the query gateway has not been started');
    return this.gateway;
  }

  async measure(scale: number): Promise<void> {
    const { session } = this;
    const { connections, durationSeconds, traceRate } = session.options;
    const gateway = (this.gateway ??= await session.startService('query-gateway'));
    const collection = await this.activePredictions();
    await this.checkTrace(gateway, scale);

    const path = () => `/v1/predictions/${encodeURIComponent(ProvenanceWorkload.predictionId(randomInt(scale)))}/trace`;
    const traceLoad = (seconds: number) =>
      runHttpLoad({
        url: gateway.url,
        connections,
        seconds,
        requests: [
          {
            method: 'GET',
            headers: { authorization: `Bearer ${session.auditor.token}` },
            setupRequest: (request) => ({ ...request, path: path() }),
          },
        ],
      });
    const rawRead = (sample: LatencySample) => async () => {
      const id = ProvenanceWorkload.predictionId(randomInt(scale));
      const started = performance.now();
      const found = await collection.findOne({ _id: id });
      sample.add(performance.now() - started);
      if (!found) throw new Error(`the raw read found no ${id} in ${collection.collectionName}`);
    };
    const gets = new KeptAliveGets(gateway.url, connections, { authorization: `Bearer ${session.auditor.token}` });
    const measureTrace = async (seconds: number, sample: LatencySample, rate?: number) => {
      if (rate !== undefined) {
        return (await runAtRate(seconds, rate, connections, async () => sample.add(await gets.get(path())))).seconds;
      }
      const result = await traceLoad(seconds);
      for (const value of result.latencies) sample.add(value);
      return result.seconds;
    };
    const measureRaw = async (seconds: number, sample: LatencySample, rate?: number) =>
      (rate === undefined
        ? await runFor(seconds, connections, rawRead(sample))
        : await runAtRate(seconds, rate, connections, rawRead(sample))
      ).seconds;

    const label = `${scale.toLocaleString('en-US')} predictions`;
    const { steady, saturated } = await session.time(`trace latency @${label}`, async () => {
      await measureTrace(WARM_UP_SECONDS, new LatencySample());
      await measureRaw(WARM_UP_SECONDS, new LatencySample());
      const rounds = async (seconds: number, rate?: number) => {
        const trace = new LatencySample();
        const raw = new LatencySample();
        let traceSeconds = 0;
        let rawSeconds = 0;
        for (let round = 0; round < ROUNDS; round++) {
          traceSeconds += await measureTrace(seconds / ROUNDS, trace, rate);
          rawSeconds += await measureRaw(seconds / ROUNDS, raw, rate);
        }
        return { trace: trace.summary(traceSeconds), raw: raw.summary(rawSeconds) };
      };
      try {
        return { steady: await rounds(durationSeconds, traceRate), saturated: await rounds(durationSeconds / 2) };
      } finally {
        gets.close();
      }
    });
    gateway.assertRunning();

    const setting = `${session.options.models} model versions, ${connections} connections`;
    const steadyNotes = `${traceRate} requests/s offered for ${durationSeconds} s, ${setting}; raw: findOne({_id}) on ${collection.collectionName} at the same rate and concurrency`;
    const latencyRow = (name: 'p50' | 'p95' | 'p99') =>
      row({
        row: `trace ${name} @${label}`,
        figure: steady.trace[name],
        unit: 'ms',
        raw: steady.raw[name],
        notes:
          name === 'p99'
            ? `${steadyNotes}; max ${steady.trace.max.toFixed(1)} ms vs raw ${steady.raw.max.toFixed(1)} ms`
            : steadyNotes,
        ...(name === 'p99' && scale === 1_000_000
          ? { goal: { text: 'p99 <= 10 ms at 1M predictions', met: steady.trace.p99 <= 10 } }
          : {}),
      });
    session.rows.push(
      latencyRow('p50'),
      latencyRow('p95'),
      latencyRow('p99'),
      row({
        row: `trace throughput @${label}`,
        figure: saturated.trace.requestsPerSecond,
        unit: 'requests/s',
        raw: saturated.raw.requestsPerSecond,
        notes: `saturated: ${setting}, each sending as soon as it has its answer, ${durationSeconds / 2} s; p50/p99 ${saturated.trace.p50.toFixed(1)}/${saturated.trace.p99.toFixed(1)} ms (raw ${saturated.raw.p50.toFixed(1)}/${saturated.raw.p99.toFixed(1)} ms); ${saturated.trace.count} traces vs ${saturated.raw.count} raw reads`,
      }),
    );
  }

  /** The collection the gateway reads predictions from: the active generation's (named as libs/lineage-store names it). */
  private async activePredictions() {
    const { session } = this;
    const active = await session.store.activeGeneration();
    if (!active) throw new Error('no active generation: the projector has built nothing yet');
    const name = `v_${active}_predictions`;
    const db = session.mongo.db(session.database);
    if ((await db.listCollections({ name }, { nameOnly: true }).toArray()).length === 0) {
      throw new Error(
        `the active generation ${active} has no collection ${name}: has libs/lineage-store renamed its view collections?`,
      );
    }
    return db.collection<{ _id: string }>(name);
  }

  /** One trace of the newest prediction: it must lead to its model version, run and data. */
  private async checkTrace(gateway: ServiceProcess, scale: number): Promise<void> {
    const id = ProvenanceWorkload.predictionId(scale - 1);
    const trace = await this.session.getJson<{
      prediction: { id: string };
      modelVersion: { id: string } | null;
      run: unknown;
      slices: unknown[];
    }>(`${gateway.url}/v1/predictions/${encodeURIComponent(id)}/trace`);
    if (trace.prediction.id !== id || !trace.modelVersion || !trace.run || trace.slices.length === 0) {
      throw new Error(`the trace of ${id} is incomplete: ${JSON.stringify(trace).slice(0, 500)}`);
    }
  }
}
