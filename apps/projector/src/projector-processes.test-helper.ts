import { generateApiKey } from '@prov/auth';
import { KafkaEventLog, NamespacedEventLog } from '@prov/event-log';
import { MongoLineageStore } from '@prov/lineage-store';
import { VIEW_NAMES, ViewDocument } from '@prov/projections';
import { freePort, integrationEnv, uniqueName, type ProvenanceScenario } from '@prov/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const PROJECTED = ['provenance.training.v1', 'provenance.registry.v1', 'provenance.inference.v1'];

/**
 * Projector processes on real Kafka and the real store, on topics and a
 * database of their own: starting, killing and running them to the end, and
 * reading what they folded.
 */
export class ProjectorProcesses {
  readonly auditor = generateApiKey('auditor', ['auditor']);
  readonly output: string[] = [];
  private readonly topicPrefix: string;
  readonly database: string;

  private readonly started = new Set<ProjectorProcess>();

  private constructor(
    private readonly scenario: ProvenanceScenario,
    readonly log: NamespacedEventLog,
    readonly store: MongoLineageStore,
    names: { topicPrefix: string; database: string },
  ) {
    this.topicPrefix = names.topicPrefix;
    this.database = names.database;
  }

  static async open(label: string, scenario: ProvenanceScenario): Promise<ProjectorProcesses> {
    const { kafkaBrokers, mongodbUri } = integrationEnv();
    const topicPrefix = `${uniqueName(label)}.`;
    const database = uniqueName(label)
      .replace(/[^a-zA-Z0-9_-]/g, '_')
      .slice(0, 60);
    const log = new NamespacedEventLog(
      await KafkaEventLog.connect({ brokers: kafkaBrokers, clientId: `${label}-test` }),
      topicPrefix,
    );
    const store = await MongoLineageStore.connect({ uri: mongodbUri, database });
    return new ProjectorProcesses(scenario, log, store, { topicPrefix, database });
  }

  /** Kills the processes still running (a failed test leaves them), then closes the test's own clients. */
  async close(): Promise<void> {
    await Promise.all([...this.started].map((process) => process.kill('SIGKILL')));
    await this.log.close();
    await this.store.close();
  }

  /** The platform's topics, with as many partitions as the services make. */
  async ensureTopics(): Promise<void> {
    await this.log.ensureTopics(
      ['training', 'registry', 'inference', 'deadletter', 'audit'].map((t) => ({
        name: `provenance.${t}.v1`,
        partitions: 6,
      })),
    );
  }

  /**
   * Publishes the scenario in chunks, as producers would while projectors
   * run, spread over at least `spreadMs` (so that replicas joining meanwhile
   * get their share, however fast the store folds).
   */
  async publishScenario(chunk = 50, spreadMs = 0): Promise<void> {
    const { messages } = this.scenario;
    const pauseMs = spreadMs / Math.ceil(messages.length / chunk);
    for (let i = 0; i < messages.length; i += chunk) {
      if (i > 0 && pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
      const slice = messages.slice(i, i + chunk);
      for (const topic of new Set(slice.map((m) => m.topic))) {
        await this.log.publish(
          topic,
          slice.filter((m) => m.topic === topic).map((m) => ({ key: m.key, value: m.value })),
        );
      }
    }
  }

  /** A projector process (its HTTP server on `port`, or a free one). */
  async start(args: string[] = [], port?: number): Promise<ProjectorProcess> {
    const listenOn = port ?? (await freePort());
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/projector/src/main.ts', ...args], {
      cwd: ROOT,
      env: this.env(listenOn),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => this.output.push(String(d)));
    child.stderr?.on('data', (d) => this.output.push(String(d)));
    const started = new ProjectorProcess(child, listenOn);
    this.started.add(started);
    void started.exited().then(() => this.started.delete(started));
    return started;
  }

  /** Runs `projector <args>` to its end; its last line of output. */
  async runToEnd(args: string[]): Promise<string> {
    const projector = await this.start(args);
    let stdout = '';
    projector.child.stdout?.on('data', (d) => (stdout += String(d)));
    const code = await projector.exited();
    if (code !== 0) throw new Error(`projector ${args.join(' ')} exited with ${code}:\n${this.outputTail()}`);
    return stdout.trim().split('\n').pop() as string;
  }

  async until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 600_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${this.outputTail()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /**
   * The processes' last lines, for a failure: progress lines (several a
   * second) would hide what else was said, so only the last of them is kept.
   */
  outputTail(lines = 60): string {
    const progress = /records folded, -?\d+ records\/s, lag/;
    const all = this.output.join('').split('\n');
    const said = all.filter((line) => line.trim() !== '' && !progress.test(line));
    const lastProgress = all.filter((line) => progress.test(line)).pop();
    return [...said.slice(-lines), ...(lastProgress ? [lastProgress] : [])].join('\n');
  }

  /** The active generation, once it has folded every record now on the log. */
  untilActiveCaughtUp(timeoutMs?: number): Promise<string> {
    return this.until(
      'an active generation that has folded the whole log',
      async () => {
        const active = await this.store.activeGeneration();
        return active && (await this.caughtUp(active)) ? active : undefined;
      },
      timeoutMs,
    );
  }

  /** The generation has folded every record now on the log. */
  async caughtUp(generation: string): Promise<boolean> {
    const saved = new Map(
      (await (await this.store.generation(generation)).loadOffsets()).map((p) => [
        `${p.topic}|${p.partition}`,
        BigInt(p.offset),
      ]),
    );
    for (const topic of PROJECTED) {
      for (const p of await this.log.offsets(topic)) {
        if ((saved.get(`${topic}|${p.partition}`) ?? 0n) < BigInt(p.latest)) return false;
      }
    }
    return true;
  }

  async viewsOf(generation: string): Promise<Record<string, ViewDocument[]>> {
    const views = await this.store.generation(generation);
    const all: Record<string, ViewDocument[]> = {};
    for (const view of VIEW_NAMES) all[view] = await views.find(view, { sort: [['_id', 1]] });
    return all;
  }

  private env(port: number): NodeJS.ProcessEnv {
    const { kafkaBrokers, mongodbUri } = integrationEnv();
    return {
      ...process.env,
      SWC_NODE_PROJECT: 'apps/projector/tsconfig.json',
      PROV_EVENT_LOG: 'kafka',
      KAFKA_BROKERS: kafkaBrokers.join(','),
      PROV_TOPIC_PREFIX: this.topicPrefix,
      PROV_STORE: 'mongodb',
      MONGODB_URI: mongodbUri,
      MONGODB_DATABASE: this.database,
      PROV_PROJECTOR_PORT: String(port),
      PROV_PROJECTOR_POLL_MS: '200',
      PROV_API_KEYS: JSON.stringify({ keys: [this.auditor.record] }),
      PROV_TRUSTED_KEYS: JSON.stringify({
        keys: Object.entries(this.scenario.signers).map(([service, pair]) => ({ service, pem: pair.publicKeyPem })),
      }),
      PROV_DATA_DIR: resolve(ROOT, '.cache', 'test', this.database),
    };
  }
}

export class ProjectorProcess {
  constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  exited(): Promise<number | null> {
    const { child } = this;
    return child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve(child.exitCode)
      : new Promise((done) => child.once('exit', (code) => done(code)));
  }

  async kill(signal: NodeJS.Signals): Promise<number | null> {
    this.child.kill(signal);
    return this.exited();
  }
}
