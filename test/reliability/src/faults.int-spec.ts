import { Topics } from '@prov/contracts';
import { LineageStore, MongoLineageStore } from '@prov/lineage-store';
import type { ViewName } from '@prov/projections';
import { integrationEnv, productionEnv, ServiceProcesses, serverControl, ServiceName, uniqueName } from '@prov/testing';
import { readBack } from './evidence/delivery-evidence';
import { DeliveryLedger, Reconciliation } from './ledger/delivery-ledger';
import { expectExactlyOnce } from './ledger/exactly-once';
import { MixedLoad } from './load/mixed-load';
import { LoadLineage, predictionBatches, recordLoadLineage, sliceImpactTotal } from './load/provenance-load';
import { SteadyLoad } from './load/steady-load';
import { note, writeMeasurement } from './report/reliability-report';

/**
 * The platform's five services as separate processes on real Kafka and
 * FerretDB, under a steady load, while a fault is injected: the broker
 * restarted, the store stopped for 30 s, each service SIGKILLed. Afterwards,
 * every write a service acknowledged is on the log exactly once and in the
 * views; a write it did not acknowledge is absent, or (the service gave up
 * waiting while the broker still wrote it: at-least-once with idempotent ids)
 * present whole and once, never in part.
 */
const { kafkaBrokers, mongodbUri } = integrationEnv();
const broker = serverControl('kafka');
const storeServer = serverControl('store');
const topicPrefix = `${uniqueName('reliability')}.`;
const env: Record<string, string> = { ...productionEnv('reliability', topicPrefix), KAFKA_PUBLISH_TIMEOUT_MS: '5000' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults under load: every acknowledged write is recorded exactly once', () => {
  const services = new ServiceProcesses();
  let lineage: LoadLineage;
  let store: LineageStore;
  /** Every prediction id on the log so far, across the faults: the slice's impact must count each once. */
  const predictionsOnLog = new Set<string>();

  beforeAll(async () => {
    await services.start(
      ['training-service', 'registry-service', 'inference-service', 'projector', 'query-gateway'],
      env,
    );
    lineage = await recordLoadLineage(services, 'reliability-churn');
    store = await MongoLineageStore.connect({ uri: mongodbUri, database: env['MONGODB_DATABASE'] });
  }, 240_000);

  afterAll(async () => {
    // Whatever failed, leave the servers running for the suites after this one.
    await broker.start();
    await storeServer.start();
    await store?.close();
    await services.stop();
  }, 240_000);

  const impactTotal = () => sliceImpactTotal(services, lineage);

  /** Reads back where the ledger's ids ended up and reconciles them with what the client was told. */
  async function reconcile(ledger: DeliveryLedger, topic: string, view: ViewName): Promise<Reconciliation> {
    // Predictions: once the slice's impact counts all of them (earlier faults' and these), the view holds them.
    const projected = async (onLog: ReadonlyMap<string, number>) =>
      (await impactTotal()) >= new Set([...predictionsOnLog, ...onLog.keys()]).size;
    const { result, onLog } = await readBack(
      { kafkaBrokers, topicPrefix, store },
      ledger,
      topic,
      view,
      topic === Topics.inference ? projected : undefined,
    );
    if (topic === Topics.inference) for (const id of onLog.keys()) predictionsOnLog.add(id);
    return result;
  }

  /** The slice's impact counts every prediction on the log once: a batch folded twice would count twice. */
  async function expectImpactCountsEachPredictionOnce(): Promise<number> {
    const total = await impactTotal();
    note(`slice impact counts ${total} predictions; ${predictionsOnLog.size} are on the log`);
    expect(total).toBe(predictionsOnLog.size);
    return total;
  }

  it('loses and duplicates nothing when the Kafka broker restarts during sustained ingest', async () => {
    const load = new SteadyLoad(predictionBatches(services, lineage, uniqueName('broker'), 50), 100).start();
    await sleep(4_000);
    const stoppedAt = Date.now();
    note('stopping the broker');
    await broker.stop();
    await sleep(5_000);
    note('starting the broker');
    await broker.start();
    note('broker started');
    const downMs = Date.now() - stoppedAt;
    await sleep(8_000);
    const ledger = await load.stop();

    const result = await reconcile(ledger, Topics.inference, 'predictions');
    const impactTotal = await expectImpactCountsEachPredictionOnce();
    writeMeasurement('broker-restart', {
      fault: 'Kafka broker stopped (SIGTERM) 4 s into ingest, started again after 5 s; ingest kept on for 8 s more',
      brokerDownMs: downMs,
      load: '50 predictions per request, one request every 100 ms, at most 4 outstanding',
      skippedTicks: load.skippedTicks,
      result,
      impactTotal,
    });
    expectExactlyOnce(result);
    expect(result.requests.failed).toBeGreaterThan(0); // the broker really was away under the load
  }, 240_000);

  it('loses and duplicates nothing when the store is stopped for 30 s while the projector projects', async () => {
    const load = new SteadyLoad(predictionBatches(services, lineage, uniqueName('store'), 50), 200).start();
    await sleep(3_000);
    note('stopping the store');
    await storeServer.stop();
    await sleep(30_000);
    note('starting the store');
    await storeServer.start();
    note('store started');
    await sleep(5_000);
    const ledger = await load.stop();

    const result = await reconcile(ledger, Topics.inference, 'predictions');
    const impactTotal = await expectImpactCountsEachPredictionOnce();
    writeMeasurement('store-outage', {
      fault:
        'FerretDB stopped (SIGTERM) 3 s into ingest for 30 s, then started again; ingest kept on throughout and 5 s after',
      load: '50 predictions per request, one request every 200 ms, at most 4 outstanding',
      skippedTicks: load.skippedTicks,
      result,
      impactTotal,
    });
    expectExactlyOnce(result);
    // Ingest does not need the store: the inference service acknowledged throughout.
    expect(result.requests.failed).toBe(0);
  }, 240_000);

  it('loses and duplicates nothing when each service is SIGKILLed under load and restarted', async () => {
    const load = new MixedLoad(services, lineage, 'kill', {
      predictions: 150,
      reads: 200,
      datasets: 400,
      modelVersions: 400,
    }).start();
    const killed: Array<{ service: ServiceName; restartMs: number }> = [];
    const order: ServiceName[] = [
      'training-service',
      'registry-service',
      'inference-service',
      'projector',
      'query-gateway',
    ];
    for (const service of order) {
      await sleep(2_000);
      const at = Date.now();
      note(`SIGKILL ${service}`);
      await services.killAndRestart(service);
      note(`${service} ready again`);
      killed.push({ service, restartMs: Date.now() - at });
    }
    await sleep(3_000);
    const ledgers = await load.stop();

    const results = {
      predictions: await reconcile(ledgers.predictions, Topics.inference, 'predictions'),
      datasets: await reconcile(ledgers.datasets, Topics.training, 'nodes'),
      modelVersions: await reconcile(ledgers.modelVersions, Topics.registry, 'nodes'),
    };
    const impactTotal = await expectImpactCountsEachPredictionOnce();
    writeMeasurement('service-kills', {
      fault: 'SIGKILL of each service in turn (2 s apart), restarted on the same port',
      killed,
      load: {
        predictions: '50 per request every 150 ms',
        datasets: 'one registration every 400 ms (training-service)',
        modelVersions: 'one registration every 400 ms (registry-service)',
        reads: 'a trace, a lineage or an impact query every 200 ms (query-gateway)',
      },
      results,
      reads: ledgers.reads.reconcile({ logCounts: new Map() }).requests,
      impactTotal,
    });
    for (const result of Object.values(results)) expectExactlyOnce(result);
    // Every kill hit its own load: each writer saw failures while its service was down.
    expect(results.predictions.requests.failed).toBeGreaterThan(0);
    expect(results.datasets.requests.failed).toBeGreaterThan(0);
    expect(results.modelVersions.requests.failed).toBeGreaterThan(0);
  }, 300_000);
});
