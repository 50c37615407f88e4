import { Topics } from '@prov/contracts';
import { LineageStore, MongoLineageStore } from '@prov/lineage-store';
import { integrationEnv, productionEnv, ServiceProcesses, ServiceName, uniqueName } from '@prov/testing';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readBack } from './evidence/delivery-evidence';
import type { DeliveryLedger } from './ledger/delivery-ledger';
import { MixedLoad } from './load/mixed-load';
import { recordLoadLineage, sliceImpactTotal } from './load/provenance-load';
import { judgeMemory, mib, RssSample } from './memory/memory-curve';
import { RssSampler } from './memory/rss-sampler';
import { note, writeMeasurement } from './report/reliability-report';

/**
 * Mixed load at a steady rate (predictions, traces, lineage and impact
 * queries, a few training and registry writes) for PROV_SOAK_SECONDS (CI:
 * 100 s; the full soak is 600 s), sampling the resident memory of every
 * process: the five services and, with the project's local servers, Kafka and
 * FerretDB. Memory stays bounded (see judgeMemory), and every acknowledged
 * prediction is on the log once and in the views.
 */
const { kafkaBrokers, mongodbUri } = integrationEnv();
const SOAK_SECONDS = Number(process.env['PROV_SOAK_SECONDS'] ?? '100');
const SAMPLE_MS = Math.max(2_000, Math.round((SOAK_SECONDS * 1000) / 60));
const topicPrefix = `${uniqueName('soak')}.`;
const env = productionEnv('soak', topicPrefix);
const SERVICES: ServiceName[] = ['training-service', 'registry-service', 'inference-service', 'projector', 'query-gateway'];
const ROOT = resolve(__dirname, '..', '..', '..');

/** Kafka's and FerretDB's pids, when the run uses the project's local servers (infra.sh records them). */
function serverPids(): Record<string, number> {
  if (process.env['PROV_INFRA_SOURCE'] !== 'deploy-local') return {};
  const home = process.env['PROV_INFRA_HOME'] ?? join(ROOT, '.cache', 'infra');
  const pidOf = (component: string) => Number(readFileSync(join(home, 'run', component, 'pid'), 'utf8').trim());
  return { kafka: pidOf('kafka'), ferretdb: pidOf('store') };
}

/** At most `points` evenly spaced samples, in MiB, for the report. */
function curveInMiB(samples: readonly RssSample[], points = 40): Array<[number, number]> {
  const step = Math.max(1, Math.ceil(samples.length / points));
  return samples
    .filter((_, i) => i % step === 0 || i === samples.length - 1)
    .map((s) => [Math.round(s.atS), Math.round((s.rssBytes / 1024 / 1024) * 10) / 10]);
}

describe(`a ${SOAK_SECONDS} s soak under mixed load`, () => {
  const services = new ServiceProcesses();
  let store: LineageStore;

  beforeAll(async () => {
    if (!Number.isFinite(SOAK_SECONDS) || SOAK_SECONDS < 30) throw new Error('PROV_SOAK_SECONDS must be at least 30');
    await services.start(SERVICES, env);
    store = await MongoLineageStore.connect({ uri: mongodbUri, database: env['MONGODB_DATABASE'] });
  }, 240_000);

  afterAll(async () => {
    await store?.close();
    await services.stop();
  }, 120_000);

  it('keeps the memory of every process bounded and records every acknowledged prediction once', async () => {
    const lineage = await recordLoadLineage(services, 'soak-churn');
    const load = new MixedLoad(services, lineage, 'soak', {
      predictions: 500,
      reads: 100,
      datasets: 5_000,
      modelVersions: 5_000,
    });
    const pids = { ...Object.fromEntries(SERVICES.map((name) => [name, services.pid(name)])), ...serverPids() };
    const sampler = new RssSampler(pids, SAMPLE_MS);
    note(`soaking for ${SOAK_SECONDS} s, sampling ${Object.keys(pids).join(', ')} every ${SAMPLE_MS} ms`);
    sampler.start();
    load.start();
    await new Promise((r) => setTimeout(r, SOAK_SECONDS * 1000));
    const ledgers = await load.stop();
    sampler.stop();

    const memory = Object.fromEntries(
      [...sampler.curves].map(([name, samples]) => [name, { verdict: judgeMemory(samples), curveMiB: curveInMiB(samples) }]),
    );
    const count = (ledger: DeliveryLedger) => ledger.reconcile({ logCounts: new Map() }).requests;
    const measurement = {
      durationS: SOAK_SECONDS,
      sampleEveryMs: SAMPLE_MS,
      load: {
        predictions: '50 per request every 500 ms (100/s)',
        reads: 'a trace, a lineage or an impact query every 100 ms',
        datasets: 'one registration every 5 s',
        modelVersions: 'one registration every 5 s',
      },
      requests: {
        predictions: count(ledgers.predictions),
        reads: count(ledgers.reads),
        datasets: count(ledgers.datasets),
        modelVersions: count(ledgers.modelVersions),
      },
      memory,
    };
    // Written before the read back too, which takes minutes after a long soak: the curve is kept whatever happens next.
    writeMeasurement(`soak-${SOAK_SECONDS}s`, measurement);
    const { result } = await readBack(
      { kafkaBrokers, topicPrefix, store },
      ledgers.predictions,
      Topics.inference,
      'predictions',
      async (onLog) => (await sliceImpactTotal(services, lineage)) >= onLog.size,
    );
    writeMeasurement(`soak-${SOAK_SECONDS}s`, { ...measurement, predictions: result });
    for (const [name, { verdict }] of Object.entries(memory)) {
      note(`${name}: early max ${mib(verdict.earlyMaxBytes)}, late max ${mib(verdict.lateMaxBytes)}, slope ${mib(verdict.slopeBytesPerMinute)}/min`);
    }

    expect(result).toMatchObject({ lostFromLog: 0, lostFromViews: 0, duplicatedInLog: 0, viewsDisagreeWithLog: 0 });
    // A steady, healthy platform: nothing refused.
    expect(result.requests.failed).toBe(0);
    const unbounded = Object.entries(memory)
      .filter(([, { verdict }]) => !verdict.bounded)
      .map(([name, { verdict }]) => `${name}: ${verdict.reason}`);
    expect(unbounded).toEqual([]);
  }, (SOAK_SECONDS + 300) * 1000);
});
