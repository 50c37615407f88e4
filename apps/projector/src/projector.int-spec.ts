import { generateApiKey } from '@prov/auth';
import { KafkaEventLog, NamespacedEventLog } from '@prov/event-log';
import { MongoLineageStore } from '@prov/lineage-store';
import { VIEW_NAMES, ViewDocument } from '@prov/projections';
import { buildProvenanceScenario, integrationEnv, uniqueName } from '@prov/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/**
 * The projector as its own process on real Kafka and FerretDB, killed with
 * SIGKILL three times while a realistic history streams in: afterwards its
 * views must be identical to a clean rebuild of the same log into another
 * generation. Then an audit rebuild as of a past time must not know of a
 * slice flagged after that time.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const { kafkaBrokers, mongodbUri } = integrationEnv();
const scenario = buildProvenanceScenario();
const topicPrefix = `${uniqueName('projector')}.`;
const database = uniqueName('projector')
  .replace(/[^a-zA-Z0-9_-]/g, '_')
  .slice(0, 60);
const auditor = generateApiKey('auditor', ['auditor']);

let port = 0;
let log: NamespacedEventLog;
let store: MongoLineageStore;
const output: string[] = [];

function projectorEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SWC_NODE_PROJECT: 'apps/projector/tsconfig.json',
    PROV_EVENT_LOG: 'kafka',
    KAFKA_BROKERS: kafkaBrokers.join(','),
    PROV_TOPIC_PREFIX: topicPrefix,
    PROV_STORE: 'mongodb',
    MONGODB_URI: mongodbUri,
    MONGODB_DATABASE: database,
    PROV_PROJECTOR_PORT: String(port),
    PROV_PROJECTOR_POLL_MS: '200',
    PROV_API_KEYS: JSON.stringify({ keys: [auditor.record] }),
    PROV_TRUSTED_KEYS: JSON.stringify({
      keys: Object.entries(scenario.signers).map(([service, pair]) => ({ service, pem: pair.publicKeyPem })),
    }),
    PROV_DATA_DIR: resolve(ROOT, '.cache', 'test', database),
  };
}

function startProjector(args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/projector/src/main.ts', ...args], {
    cwd: ROOT,
    env: projectorEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => output.push(String(d)));
  child.stderr?.on('data', (d) => output.push(String(d)));
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((done) => child.once('exit', (code) => done(code)));
}

async function runToEnd(args: string[]): Promise<string> {
  const child = startProjector(args);
  let stdout = '';
  child.stdout?.on('data', (d) => (stdout += String(d)));
  const code = await exited(child);
  if (code !== 0) throw new Error(`projector ${args.join(' ')} exited with ${code}:\n${output.join('')}`);
  return stdout;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => done(free));
    });
    server.on('error', fail);
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 600_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output.slice(-40).join('')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The generation has folded every record now on the log. */
async function caughtUp(generation: string): Promise<boolean> {
  const saved = new Map(
    (await (await store.generation(generation)).loadOffsets()).map((p) => [
      `${p.topic}|${p.partition}`,
      BigInt(p.offset),
    ]),
  );
  for (const topic of ['provenance.training.v1', 'provenance.registry.v1', 'provenance.inference.v1']) {
    for (const p of await log.offsets(topic)) {
      if ((saved.get(`${topic}|${p.partition}`) ?? 0n) < BigInt(p.latest)) return false;
    }
  }
  return true;
}

async function viewsOf(generation: string): Promise<Record<string, ViewDocument[]>> {
  const views = await store.generation(generation);
  const all: Record<string, ViewDocument[]> = {};
  for (const view of VIEW_NAMES) all[view] = await views.find(view, { sort: [['_id', 1]] });
  return all;
}

beforeAll(async () => {
  port = await freePort();
  log = new NamespacedEventLog(
    await KafkaEventLog.connect({ brokers: kafkaBrokers, clientId: 'projector-test' }),
    topicPrefix,
  );
  store = await MongoLineageStore.connect({ uri: mongodbUri, database });
}, 60_000);

afterAll(async () => {
  await log?.close();
  await store?.close();
});

describe('projector on real Kafka and FerretDB', () => {
  let live = '';

  it('ends, after three SIGKILLs during the run, with views identical to a clean rebuild', async () => {
    await log.ensureTopics(
      ['training', 'registry', 'inference', 'deadletter', 'audit'].map((t) => ({
        name: `provenance.${t}.v1`,
        partitions: 6,
      })),
    );
    // The history streams in while the projector runs (and is killed).
    const publishing = (async () => {
      const chunk = 50;
      for (let i = 0; i < scenario.messages.length; i += chunk) {
        const slice = scenario.messages.slice(i, i + chunk);
        for (const topic of new Set(slice.map((m) => m.topic))) {
          await log.publish(
            topic,
            slice.filter((m) => m.topic === topic).map((m) => ({ key: m.key, value: m.value })),
          );
        }
      }
    })();

    let projector = startProjector();
    for (let kill = 0; kill < 3; kill++) {
      await new Promise((r) => setTimeout(r, 3000 + Math.random() * 5000));
      projector.kill('SIGKILL');
      await exited(projector);
      projector = startProjector();
    }
    await publishing;

    live = await until('an active generation that has folded the whole log', async () => {
      const active = await store.activeGeneration();
      return active && (await caughtUp(active)) ? active : undefined;
    });
    const listing = await fetch(`http://127.0.0.1:${port}/v1/generations`, {
      headers: { authorization: `Bearer ${auditor.token}` },
    }).then((r) => r.json());
    expect(listing).toMatchObject({ active: live });
    projector.kill('SIGTERM');
    expect(await exited(projector)).toBe(0);

    const rebuilt = JSON.parse((await runToEnd(['rebuild'])).trim().split('\n').pop() as string).generation as string;
    expect(rebuilt).not.toBe(live);
    expect(await store.activeGeneration()).toBe(rebuilt);

    const [afterKills, clean] = [await viewsOf(live), await viewsOf(rebuilt)];
    for (const view of VIEW_NAMES) expect({ view, docs: afterKills[view] }).toEqual({ view, docs: clean[view] });

    // The views hold the whole scenario, user maps intact.
    expect(clean['predictions']).toHaveLength(scenario.predictionCount);
    expect(clean['model_lineage']).toHaveLength(scenario.modelVersionIds.length);
    const lineage = clean['model_lineage'].find((d) => d._id === scenario.modelVersionIds[0]) as unknown as {
      run: { hyperparameters: unknown };
    };
    expect(lineage.run.hyperparameters).toMatchObject({
      'optimizer.lr': 0.001,
      $scale: 0,
      layers: [[64, 32], [16]],
    });
    expect(clean['alerts'].map((a) => a['type'])).toEqual(expect.arrayContaining(['prediction.artifact-mismatch']));

    // The two messages that are not events went to the dead-letter topic, with their reasons.
    const deadLetters = [];
    for (const p of await log.offsets('provenance.deadletter.v1')) {
      if (p.latest !== '0') deadLetters.push(...(await log.read('provenance.deadletter.v1', p.partition, '0', 100)));
    }
    const reasons = new Set(deadLetters.map((r) => JSON.parse(r.value.toString()).payload.reason));
    expect([...reasons].sort()).toEqual(['invalid-envelope', 'unparseable']);
  }, 1_200_000);

  it('folds into an audit generation only what was recorded up to a past time', async () => {
    const result = JSON.parse(
      (await runToEnd(['audit-rebuild', '--as-of', scenario.betweenFlags, '--name', 'between-flags']))
        .trim()
        .split('\n')
        .pop() as string,
    );
    expect(result).toMatchObject({ generation: 'audit-between-flags', asOf: scenario.betweenFlags });

    const audit = await store.generation('audit-between-flags');
    const current = await store.generation(live);
    const flagged = async (views: typeof audit, sliceId: string) =>
      ((await views.get('slice_impact', [sliceId])).get(sliceId) as Record<string, unknown>)['flagged'];
    expect(await flagged(audit, scenario.earlyFlag.sliceId)).toBe(true);
    expect(await flagged(audit, scenario.lateFlag.sliceId)).toBe(false);
    expect(await flagged(current, scenario.lateFlag.sliceId)).toBe(true);
    expect(await audit.count('predictions')).toBeLessThan(scenario.predictionCount);
    expect(await store.activeGeneration()).not.toBe('audit-between-flags');
  }, 600_000);
});
