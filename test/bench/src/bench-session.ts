import { generateApiKey } from '@prov/auth';
import { ALL_TOPICS, DEFAULT_TOPIC_PARTITIONS } from '@prov/contracts';
import { EventLog, KafkaEventLog, NamespacedEventLog } from '@prov/event-log';
import { MongoLineageStore } from '@prov/lineage-store';
import { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchOptions, PREDICTIONS_PER_BATCH } from './bench-options';
import type { BenchServers } from './infrastructure/bench-servers';
import { AppName, PeakMemory, ServiceProcess } from './processes/service-process';
import type { BenchRow } from './report/bench-report';
import { ProvenanceWorkload } from './workload/provenance-workload';

/**
 * What the rows of one run share: the servers, a topic prefix and a
 * database no other run uses, the API keys the services accept, the
 * workload's signers, and the processes started (stopped at the end, their
 * peak memory kept for the memory row).
 */
export class BenchSession {
  readonly topicPrefix: string;
  readonly database: string;
  readonly auditor = generateApiKey('bench-auditor', ['auditor']);
  readonly mlService = generateApiKey('bench-ml-service', ['ml-service']);
  readonly dataDir = mkdtempSync(join(tmpdir(), 'prov-bench-'));
  readonly rows: BenchRow[] = [];
  readonly timings: Record<string, number> = {};
  readonly peaks: PeakMemory[] = [];
  readonly workload: ProvenanceWorkload;
  private readonly services = new Set<ServiceProcess>();

  private constructor(
    readonly runId: string,
    readonly servers: BenchServers,
    readonly options: BenchOptions,
    readonly say: (line: string) => void,
    /** The projected topics under the run's prefix. */
    readonly log: EventLog,
    readonly store: MongoLineageStore,
    /** The raw driver, for the limits the store itself has. */
    readonly mongo: MongoClient,
  ) {
    this.topicPrefix = topicPrefixOf(runId);
    this.database = `bench_${runId}`;
    this.workload = new ProvenanceWorkload(options.models, PREDICTIONS_PER_BATCH);
  }

  static async open(servers: BenchServers, options: BenchOptions, say: (line: string) => void): Promise<BenchSession> {
    const runId = `b${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const kafka = await KafkaEventLog.connect({ brokers: servers.kafkaBrokers, clientId: `bench-${runId}` });
    const log = new NamespacedEventLog(kafka, topicPrefixOf(runId));
    await log.ensureTopics(ALL_TOPICS.map((name) => ({ name, partitions: DEFAULT_TOPIC_PARTITIONS })));
    const store = await MongoLineageStore.connect({ uri: servers.mongodbUri, database: `bench_${runId}` });
    const mongo = new MongoClient(servers.mongodbUri, { appName: 'bench-raw', serverSelectionTimeoutMS: 30_000 });
    await mongo.connect();
    return new BenchSession(runId, servers, options, say, log, store, mongo);
  }

  apiKeysJson(): string {
    return JSON.stringify({ keys: [this.auditor.record, this.mlService.record] });
  }

  /** The settings every app of the run gets: the servers, the run's topics and database, its API keys. */
  appEnv(): Record<string, string> {
    return {
      PROV_EVENT_LOG: 'kafka',
      KAFKA_BROKERS: this.servers.kafkaBrokers.join(','),
      PROV_TOPIC_PREFIX: this.topicPrefix,
      MONGODB_URI: this.servers.mongodbUri,
      MONGODB_DATABASE: this.database,
      PROV_API_KEYS: this.apiKeysJson(),
      PROV_DATA_DIR: this.dataDir,
    };
  }

  async startService(
    app: AppName,
    options: { label?: string; env?: Record<string, string>; args?: string[]; nodeOptions?: string[] } = {},
  ): Promise<ServiceProcess> {
    const service = await ServiceProcess.start(app, { ...options, env: { ...this.appEnv(), ...options.env } });
    this.services.add(service);
    return service;
  }

  /** Stops a service and keeps its peak memory for the memory row. */
  async stopService(service: ServiceProcess): Promise<void> {
    if (!this.services.delete(service)) return;
    this.peaks.push(await service.stop());
  }

  /** Runs a phase, recording its wall time. */
  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.say(`${phase}...`);
    try {
      return await work();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.timings[phase] = seconds;
      this.say(`${phase}: ${seconds.toFixed(1)} s`);
    }
  }

  /** GET with the auditor's key; the parsed JSON answer. */
  async getJson<T>(url: string): Promise<T> {
    const response = await fetch(url, { headers: { authorization: `Bearer ${this.auditor.token}` } });
    if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async postJson<T>(url: string, body: unknown): Promise<T> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.auditor.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /**
   * Stops what is still running and closes the clients. On servers of the
   * caller's, also drops the run's database (its topics stay, under the
   * run's prefix); the bench's own servers are reset at the next run instead.
   */
  async close(): Promise<void> {
    for (const service of [...this.services]) await this.stopService(service);
    if (this.servers.kind === 'given') {
      await this.mongo
        .db(this.database)
        .dropDatabase()
        .catch((error: Error) => this.say(`could not drop database ${this.database}: ${error.message}`));
    }
    await Promise.allSettled([this.log.close(), this.store.close()]);
    await this.mongo.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function topicPrefixOf(runId: string): string {
  return `bench-${runId}.`;
}
