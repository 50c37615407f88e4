import { Topics } from '@prov/contracts';
import { FileEventLog } from '@prov/event-log';
import type { PredictionTrace, SliceImpact } from '@prov/lineage-queries';
import type { StatusAnswer } from '@prov/sdk';
import { integrationEnv, uniqueName } from '@prov/testing';
import { RunningServices } from '@prov/platform-testing';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPlatform, embeddedPlatformEnv } from './embedded-platform';
import { eventually } from './eventually';
import { prov } from './prov-command';

/**
 * The newcomer's path and the operator's: `npm start` runs the embedded
 * platform, `npx prov demo` records a scenario through the API and `npx prov
 * trace` answers what produced a prediction; after a SIGKILL and a restart
 * the answer is the same. Then the same commands against the production
 * services, each its own process, on real Kafka and FerretDB.
 */

interface DemoAnswer {
  scenario: {
    datasetVersions: { october: string; november: string };
    slices: { octoberTrain: string; octoberValidation: string; novemberTrain: string; novemberValidation: string };
    flaggedSlice: string;
    modelVersions: { first: string; second: string };
    predictionBeforeRevision: string;
    predictionAfterRevision: string;
    dataDirectory: string;
  };
  traceAfterRevision: PredictionTrace;
  flaggedSliceImpact: SliceImpact;
}

async function provJson<T>(args: string[], env: Record<string, string>): Promise<T> {
  const result = await prov([...args, '--json'], env);
  if (result.code !== 0) throw new Error(`prov ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** What the demo's scenario must answer, whichever mode recorded it. */
function expectDemoAnswers(demo: DemoAnswer, trace: PredictionTrace): void {
  const { scenario } = demo;
  expect(scenario.modelVersions).toEqual({ first: 'model:churn@1', second: 'model:churn@2' });
  expect(trace).toMatchObject({
    level: 'full',
    prediction: { id: 'pred:demo-000042', deploymentId: 'deployment:churn-api', modelVersionId: 'model:churn@1' },
    deployment: {
      id: 'deployment:churn-api',
      servedModelMatches: true,
      revision: { modelVersionId: 'model:churn@1', from: '2026-11-03T08:00:00.000Z', to: '2026-11-18T08:00:00.000Z' },
    },
    modelVersion: { id: 'model:churn@1' },
    run: {
      id: 'run:0192f6a0-1c2d-7e3f-8a4b-5c6d7e8f9a01',
      hyperparameters: { learning_rate: 0.05, max_depth: 6, n_estimators: 400, 'early_stopping.rounds': 20 },
      seeds: { python: 42, numpy: 42, xgboost: 42 },
    },
    pipeline: { id: 'pipeline:churn-features@2.3.0' },
    datasetVersions: [{ id: scenario.datasetVersions.october }],
    completeness: { level: 'full', complete: true, missing: [] },
  });
  expect(trace.slices.map((s) => s.id).sort()).toEqual(
    [scenario.slices.octoberTrain, scenario.slices.octoberValidation].sort(),
  );
  // Made after the revision: the new model version, trained on the November data.
  expect(demo.traceAfterRevision.modelVersion?.id).toBe('model:churn@2');
  expect(demo.traceAfterRevision.deployment?.revision?.modelVersionId).toBe('model:churn@2');
  expect(demo.traceAfterRevision.datasetVersions.map((d) => d.id)).toEqual([scenario.datasetVersions.november]);
  // The flagged slice touched exactly the first model version and its 120 predictions.
  expect(demo.flaggedSliceImpact).toMatchObject({
    sliceId: scenario.flaggedSlice,
    flagged: true,
    modelVersions: [{ id: 'model:churn@1' }],
    predictions: { total: 120, byModelVersion: [{ id: 'model:churn@1', count: 120 }] },
  });
  expect(demo.flaggedSliceImpact.modelVersions).toHaveLength(1);
}

/** The records of the topics the producers write, by topic, as `prov status` reports them. */
function producedRecords(status: StatusAnswer): Record<string, number> {
  const produced: string[] = [Topics.training, Topics.registry, Topics.inference];
  return Object.fromEntries(
    status.eventLog.topics.filter((t) => produced.includes(t.topic)).map((t) => [t.topic, t.records]),
  );
}

describe('npm start and the prov command line, embedded', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let platform: EmbeddedPlatform;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'prov-embedded-'));
    env = await embeddedPlatformEnv(dataDir);
    platform = new EmbeddedPlatform(env);
    await platform.start();
  }, 120_000);

  afterAll(async () => {
    await platform.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs the demo, traces a prediction, and answers the same after a SIGKILL and a restart', async () => {
    // The banner names every service and the local key, which the CLI finds in the data directory.
    expect(platform.output).toContain(`query-gateway      http://127.0.0.1:${env['PROV_GATEWAY_PORT']}`);
    const localKey = JSON.parse(await readFile(join(dataDir, 'local-api-key.json'), 'utf8')) as { token: string };
    expect(platform.output).toContain(localKey.token);

    const demo = await provJson<DemoAnswer>(['demo'], env);
    const trace = await provJson<PredictionTrace>(['trace', 'demo-000042'], env);
    expectDemoAnswers(demo, trace);
    const human = await prov(['trace', 'pred:demo-000042'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('model:churn@1');

    // What the log and the views hold: the demo's records, and its 200 predictions in the views on disk.
    expect(platform.output).toMatch(/the log holds \d+ records .*; the views of generation \S+ \d+ documents/);
    const held = await eventually('the active generation to hold every record of the log', async () => {
      const status = await provJson<StatusAnswer>(['status'], env);
      return status.store.activeGeneration?.recordsToFold === 0 ? status : undefined;
    });
    expect(held.eventLog.kind).toBe('file');
    expect(held.store.kind).toBe('lmdb');
    expect(held.store.activeGeneration?.documentsByView.predictions).toBe(120 + 80);
    expect(Object.values(producedRecords(held)).every((records) => records > 0)).toBe(true);
    expect(held.eventLog.bytesOnDisk).toBeGreaterThan(0);
    expect(held.store.bytesOnDisk).toBeGreaterThan(0);
    const statusText = await prov(['status'], env);
    expect(statusText.code).toBe(0);
    expect(statusText.stdout).toContain(`Event log (file): ${held.eventLog.records.toLocaleString('en-US')} records`);

    // The files the dataset version was registered with verify; a changed byte does not.
    const october = join(demo.scenario.dataDirectory, 'customer-events', '2026-10');
    expect((await prov(['verify-data', demo.scenario.datasetVersions.october, october], env)).code).toBe(0);
    const november = join(demo.scenario.dataDirectory, 'customer-events', '2026-11');
    const wrong = await prov(['verify-data', demo.scenario.datasetVersions.october, november], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('MISMATCH');
    expect((await prov(['trace', 'pred:nobody'], env)).code).toBe(3);
    expect((await prov(['trace', 'demo-000042', '--api-key', 'prov_nobody_secret'], env)).code).toBe(5);

    // A release gate in a pipeline: the model trained on the flagged slice fails the policy, the other passes.
    const policy = join(dataDir, 'production.yaml');
    await writeFile(
      policy,
      'apiVersion: provenance/v1\nkind: ProvenancePolicy\nmetadata: { name: production }\nspec:\n  captureLevel: full\n  forbidFlaggedSlices: true\n  separationOfDuties: true\n',
    );
    const refused = await prov(
      ['check', '--model', 'model:churn@1', '--policy', policy, '--approver', 'bob', '--json'],
      env,
    );
    expect(refused.code).toBe(1);
    const failing = (
      JSON.parse(refused.stdout) as { requirements: Array<{ requirement: string; satisfied: boolean }> }
    ).requirements
      .filter((r) => !r.satisfied)
      .map((r) => r.requirement);
    expect(failing).toEqual(['slices.unflagged']);
    expect((await prov(['check', '--model', 'model:churn@2', '--policy', policy, '--approver', 'bob'], env)).code).toBe(
      0,
    );
    // The demo's runs are alice's: she may not approve her own model.
    expect(
      (await prov(['check', '--model', 'model:churn@2', '--policy', policy, '--approver', 'alice'], env)).code,
    ).toBe(1);
    await writeFile(
      policy,
      'apiVersion: provenance/v1\nkind: ProvenancePolicy\nmetadata: { name: broken }\nspec: { captureLevel: most }\n',
    );
    const broken = await prov(['check', '--model', 'model:churn@2', '--policy', policy], env);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('spec.captureLevel');

    await platform.kill('SIGKILL');
    await platform.start();
    // The views were rebuilt from the log: the very same answer.
    expect(await provJson<PredictionTrace>(['trace', 'demo-000042'], env)).toEqual(trace);
    // Nothing recorded was lost, nor folded twice, across the SIGKILL.
    const afterKill = await provJson<StatusAnswer>(['status'], env);
    expect(producedRecords(afterKill)).toEqual(producedRecords(held));
    expect(afterKill.store.activeGeneration?.documentsByView.predictions).toBe(120 + 80);
    const impact = await provJson<SliceImpact>(['impact', demo.scenario.flaggedSlice], env);
    expect(impact).toEqual(demo.flaggedSliceImpact);

    // A rebuild on demand ends with the same answer too.
    const rebuilt = await provJson<{ status: string }>(['rebuild'], env);
    expect(rebuilt.status).toBe('active');
    expect(await provJson<PredictionTrace>(['trace', 'demo-000042'], env)).toEqual(trace);

    // Recording the demo again changes nothing: every record is the same immutable fact.
    await provJson<DemoAnswer>(['demo'], env);
    expect(await provJson<PredictionTrace>(['trace', 'demo-000042'], env)).toEqual(trace);

    await appendFile(join(october, 'part-00000.csv'), 'tampered\n');
    expect((await prov(['verify-data', demo.scenario.datasetVersions.october, october], env)).code).toBe(1);

    // Ctrl-C (SIGINT to the terminal's process group) stops everything cleanly: the log's lock is released.
    const beforeStop = await provJson<StatusAnswer>(['status'], env);
    expect(existsSync(join(dataDir, 'log', 'LOCK'))).toBe(true);
    await platform.kill('SIGINT');
    expect(platform.output).toContain('SIGINT: stopping');
    expect(platform.output).not.toMatch(/while stopping/);
    expect(existsSync(join(dataDir, 'log', 'LOCK'))).toBe(false);
    // What `prov status` said the log holds is what the stopped platform's log holds.
    const stopped = await FileEventLog.open(join(dataDir, 'log'));
    try {
      const held = await stopped.holdings(Object.keys(producedRecords(beforeStop)));
      expect(Object.fromEntries(held.topics.map((t) => [t.topic, t.records]))).toEqual(producedRecords(beforeStop));
    } finally {
      await stopped.close();
    }
  }, 240_000);
});

describe('the prov command line against the production services', () => {
  const { kafkaBrokers, mongodbUri } = integrationEnv();
  const services = new RunningServices();
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    await services.start(['training-service', 'registry-service', 'inference-service', 'projector', 'query-gateway'], {
      PROV_EVENT_LOG: 'kafka',
      KAFKA_BROKERS: kafkaBrokers.join(','),
      PROV_TOPIC_PREFIX: `${uniqueName('cli')}.`,
      PROV_STORE: 'mongodb',
      MONGODB_URI: mongodbUri,
      MONGODB_DATABASE: uniqueName('cli').replace(/[^a-zA-Z0-9_-]/g, '_'),
      PROV_PROJECTOR_POLL_MS: '200',
    });
    dataDir = await mkdtemp(join(tmpdir(), 'prov-cli-'));
    env = {
      PROV_API_KEY: services.allRolesToken,
      PROV_DATA_DIR: dataDir,
      PROV_TRAINING_URL: services.urls['training-service'],
      PROV_REGISTRY_URL: services.urls['registry-service'],
      PROV_INFERENCE_URL: services.urls['inference-service'],
      PROV_PROJECTOR_URL: services.urls['projector'],
      PROV_GATEWAY_URL: services.urls['query-gateway'],
    };
  }, 180_000);

  afterAll(async () => {
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs the same demo on Kafka and FerretDB, and answers the same after the projector and gateway are killed', async () => {
    const demo = await provJson<DemoAnswer>(['demo', '--timeout', '180'], env);
    const trace = await provJson<PredictionTrace>(['trace', 'demo-000042'], env);
    expectDemoAnswers(demo, trace);

    await services.killAndRestart('projector');
    await services.killAndRestart('query-gateway');
    expect(await provJson<PredictionTrace>(['trace', 'demo-000042'], env)).toEqual(trace);
    const comparison = await provJson<{ sameDataSnapshot: boolean; differences: Array<{ path: string }> }>(
      ['compare', 'model:churn@1', 'model:churn@2'],
      env,
    );
    expect(comparison.sameDataSnapshot).toBe(false);
    expect(comparison.differences.map((d) => d.path)).toEqual(
      expect.arrayContaining(['run.hyperparameters.learning_rate', 'run.seeds.numpy']),
    );
  }, 300_000);
});
