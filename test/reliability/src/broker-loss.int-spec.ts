import { Topics } from '@prov/contracts';
import { LineageStore, MongoLineageStore } from '@prov/lineage-store';
import { integrationEnv, LocalKafkaCluster, productionEnv, ServiceProcesses, uniqueName } from '@prov/testing';
import { Admin, Kafka, logLevel, PartitionMetadata } from 'kafkajs';
import { readBack } from './evidence/delivery-evidence';
import { expectExactlyOnce } from './ledger/exactly-once';
import { LoadLineage, predictionBatches, recordLoadLineage } from './load/provenance-load';
import { SendRequest, SteadyLoad } from './load/steady-load';
import { note, writeMeasurement } from './report/reliability-report';

/**
 * The platform on a real 3-broker Kafka cluster (deploy/local: replication
 * factor 3, min.insync.replicas 2; the services publish with acks=all): the
 * broker leading the most inference partitions is SIGKILLed under sustained
 * prediction ingest, and started again 15 s later. The cluster keeps its
 * quorum, so the client sees no refusal at all: the inference service waits
 * out the failover (its publishes retry inside it), and every acknowledged
 * prediction is on the inference topic exactly once and in the views.
 */
const { mongodbUri } = integrationEnv();
const topicPrefix = `${uniqueName('cluster')}.`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A request slower than this waited on the failover. */
const STALLED_MS = 1_000;
/** The client waits as long as the SDK's does (and the service's publish timeout): 30 s. */
const CLIENT_TIMEOUT_MS = 30_000;

describe('a Kafka broker lost under ingest, on a 3-broker cluster', () => {
  const services = new ServiceProcesses();
  let cluster: LocalKafkaCluster;
  let admin: Admin;
  let store: LineageStore;
  let lineage: LoadLineage;

  beforeAll(async () => {
    // No cluster, no test: a cluster that cannot start fails the run here, saying why.
    cluster = await LocalKafkaCluster.start();
    note(`cluster at ${cluster.brokers.join(',')}`);
    const env: Record<string, string> = {
      ...productionEnv('cluster', topicPrefix),
      KAFKA_BROKERS: cluster.brokers.join(','),
    };
    await services.start(['training-service', 'registry-service', 'inference-service', 'projector'], env);
    lineage = await recordLoadLineage(services, 'cluster-churn');
    store = await MongoLineageStore.connect({ uri: mongodbUri, database: env['MONGODB_DATABASE'] });
    admin = new Kafka({
      clientId: 'reliability-cluster',
      brokers: cluster.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
  }, 240_000);

  afterAll(async () => {
    await admin?.disconnect();
    await store?.close();
    await services.stop();
    await cluster?.stop();
  }, 120_000);

  const inferenceTopic = `${topicPrefix}${Topics.inference}`;
  const partitions = async (): Promise<PartitionMetadata[]> =>
    (await admin.fetchTopicMetadata({ topics: [inferenceTopic] })).topics[0].partitions;

  /** Waits until every partition of the inference topic has all three replicas in sync again; how long that took. */
  async function untilFullyReplicated(timeoutMs = 60_000): Promise<number> {
    const started = Date.now();
    while (!(await partitions()).every((p) => p.isr.length === 3)) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`${inferenceTopic} is under-replicated after ${timeoutMs} ms`);
      await sleep(250);
    }
    return Date.now() - started;
  }

  it('refuses no request and loses no prediction when a broker is SIGKILLed and later restarted', async () => {
    const before = await partitions();
    // The platform creates its topics without a replication factor of its own: the cluster's default, 3.
    expect(before.map((p) => p.replicas.length)).toEqual(before.map(() => 3));
    const leaders = new Map<number, number>();
    for (const { leader } of before) leaders.set(leader, (leaders.get(leader) ?? 0) + 1);
    const [victim, led] = [...leaders].sort((a, b) => b[1] - a[1])[0];

    const requests: Array<{ sentAt: number; ms: number }> = [];
    const send = predictionBatches(services, lineage, uniqueName('cluster'), 50, CLIENT_TIMEOUT_MS);
    const timed: SendRequest = async (sequence) => {
      const sentAt = Date.now();
      const sent = await send(sequence);
      requests.push({ sentAt, ms: Date.now() - sentAt });
      return sent;
    };
    const load = new SteadyLoad(timed, 150, 8).start();
    await sleep(5_000);
    note(`SIGKILL broker ${victim} (leads ${led} of ${before.length} inference partitions)`);
    const killedAt = Date.now();
    await cluster.kill(victim);
    await sleep(15_000);
    note(`starting broker ${victim} again`);
    const restartedAt = Date.now();
    await cluster.restart(victim);
    const restartMs = Date.now() - restartedAt;
    const backInSyncMs = await untilFullyReplicated();
    note(`broker ${victim} serving after ${restartMs} ms, in sync ${backInSyncMs} ms later`);
    await sleep(5_000);
    const ledger = await load.stop();

    const { result } = await readBack(
      { kafkaBrokers: cluster.brokers, topicPrefix, store },
      ledger,
      Topics.inference,
      'predictions',
    );
    const stalled = requests.filter((r) => r.ms > STALLED_MS);
    const latencies = requests.map((r) => r.ms).sort((a, b) => a - b);
    writeMeasurement('cluster-broker-loss', {
      fault:
        'SIGKILL of the broker leading the most inference partitions, 5 s into ingest; started again 15 s later; ingest kept on until 5 s after all replicas were back in sync',
      cluster:
        '3 brokers (KRaft, each a broker and a controller), replication factor 3, min.insync.replicas 2, acks=all',
      victim: { broker: victim, ledPartitions: led, of: before.length },
      load: '50 predictions per request, one request every 150 ms, at most 8 outstanding, each waiting up to 30 s',
      skippedTicks: load.skippedTicks,
      result,
      latencyMs: {
        p50: latencies[Math.floor(latencies.length / 2)],
        p99: latencies[Math.floor(latencies.length * 0.99)],
        max: latencies[latencies.length - 1],
      },
      stalledRequests: stalled.length,
      ingestResumedAfterKillMs: Math.max(0, ...stalled.map((r) => r.sentAt + r.ms - killedAt)),
      brokerRestartMs: restartMs,
      backInSyncAfterRestartMs: backInSyncMs,
    });

    expect(result.requests.failed).toBe(0);
    expectExactlyOnce(result);
    // The broker really was lost under the load: requests sent while it was down were answered too.
    expect(requests.filter((r) => r.sentAt > killedAt && r.sentAt < restartedAt).length).toBeGreaterThan(0);
  }, 300_000);
});
