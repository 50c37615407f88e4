import { generateApiKey } from '@prov/auth';
import { Topics, type SealedValue } from '@prov/contracts';
import { createInferenceService } from '@prov/inference-api';
import { sealingContext } from '@prov/lineage-queries';
import {
  FileKeyEncryptionKeys,
  FileSubjectKeyStore,
  MongoSubjectKeyStore,
  type KeyEncryptionKeys,
  type SubjectKeyStore,
} from '@prov/lineage-store';
import {
  freePort,
  readEvents,
  startProducerServiceUnderTest,
  storeInfra,
  type ProducerServiceUnderTest,
} from '@prov/testing';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { filesUnder, waysToOpen } from './platform/residue-scan';

/**
 * Erasure destroys a data subject's key, but a store keeps deleted bytes
 * for a while (FerretDB's SQLite write-ahead log, MongoDB's WiredTiger files
 * and oplog, backups). Subject keys are stored only wrapped under a
 * key-encryption key kept outside the store and the log; rotating it
 * destroys the only key that unwraps those copies. After an erasure and a
 * rotation, every file of the data directory, the event log and the store
 * is scanned for any way to open the erased value: there is none. Nor does
 * any file name the subject: it is stored and logged as a keyed pseudonym.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const serving = generateApiKey('svc-churn', ['ml-service']);
const steward = generateApiKey('carol', ['data-steward']);
const digest = (c: string) => `sha256:${c.repeat(64)}`;

interface Platform {
  service: ProducerServiceUnderTest;
  keys: SubjectKeyStore;
  /** Everything on disk an attacker could copy: the data directory, the log, the store's own files. */
  directories: string[];
}

async function recordAbout(platform: Platform, dataSubject: string, id: string, output: string): Promise<SealedValue> {
  const answer = await platform.service.post(
    '/v1/predictions:batch',
    {
      deployment: 'churn-api',
      modelVersionId: 'model:churn@3.1.0',
      artifactDigest: digest('9'),
      predictions: [{ id, at: '2026-11-04T12:00:00Z', inputDigest: digest('3'), dataSubject, output }],
    },
    serving.token,
  );
  expect(answer.statusCode).toBe(201);
  const events = await readEvents(platform.service.log, Topics.inference);
  const batch = events[events.length - 1].payload as { predictions: Array<{ sealedOutput: SealedValue }> };
  return batch.predictions[0].sealedOutput;
}

/** Records a secret about a subject, erases the subject, rotates, and scans everything on disk at each step. */
async function eraseRotateAndScan(platform: Platform) {
  const marker = `SECRETMARKER-${randomUUID()}`;
  const sealed = await recordAbout(platform, 'subject-c1', 'req-c1', marker);
  const kept = await recordAbout(platform, 'subject-c2', 'req-c2', 'kept');
  const context = sealingContext('pred:req-c1', 'output');
  const scan = async () => waysToOpen(await filesUnder(...platform.directories), sealed, context);

  // The scan finds the live key: it would find a residue that opens.
  const whileLive = await scan();
  const erased = await platform.service.post(
    '/v1/subjects/subject-c1/erasure',
    { reason: 'request C1' },
    steward.token,
  );
  expect(erased.statusCode).toBe(201);
  const afterErasure = await scan();
  const rotated = await platform.service.post(
    '/v1/key-encryption-keys/rotation',
    { reason: 'completes the erasure of C1' },
    steward.token,
  );
  expect(rotated.statusCode).toBe(200);
  const afterRotation = await scan();
  const files = await filesUnder(...platform.directories);
  const keptState = (await platform.keys.keys([kept.keyId])).get(kept.keyId);
  return {
    whileLive,
    afterErasure,
    afterRotation,
    markerInClear: files.filter((f) => f.bytes.includes(marker)).map((f) => f.path),
    subjectNamed: files.filter((f) => f.bytes.includes('subject-c1')).map((f) => f.path),
    keptStillOpens: keptState?.state === 'active',
    rotation: rotated.json(),
  };
}

/** The scan found the live key (so it would find what opens), and after the rotation nothing of the subject. */
function expectNothingLeftToOpen(outcome: Awaited<ReturnType<typeof eraseRotateAndScan>>): void {
  expect(outcome.whileLive.length).toBeGreaterThan(0);
  expect(outcome.afterRotation).toEqual([]);
  expect(outcome.markerInClear).toEqual([]);
  expect(outcome.subjectNamed).toEqual([]);
  expect(outcome.keptStillOpens).toBe(true);
}

async function startInference(keys: SubjectKeyStore, keks: KeyEncryptionKeys) {
  return startProducerServiceUnderTest(
    (deps) => createInferenceService(deps, { policies: [], subjectKeys: { store: keys, keks } }),
    [serving.record, steward.record],
  );
}

describe('erasure residue, embedded: subject keys in files of the data directory', () => {
  let dataDir: string;
  let platform: Platform;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'erasure-residue-'));
    const keks = new FileKeyEncryptionKeys(join(dataDir, 'keyring.json'));
    const keys = await FileSubjectKeyStore.open(join(dataDir, 'subject-keys'), keks);
    const service = await startInference(keys, keks);
    platform = { service, keys, directories: [dataDir, service.logDirectory] };
  });
  afterAll(async () => {
    await platform?.service.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves no way to open an erased value in any file once the key-encryption key is rotated', async () => {
    const outcome = await eraseRotateAndScan(platform);
    expectNothingLeftToOpen(outcome);
    expect(outcome.rotation).toMatchObject({ rewrapped: 1, retired: [expect.stringMatching(/^kek:/)] });
  });
});

describe('erasure residue, FerretDB: subject keys in the store, its SQLite files scanned', () => {
  const home = join(ROOT, '.cache', 'hostile-residue');
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let platform: Platform;
  beforeAll(async () => {
    env = {
      ...process.env,
      PROV_INFRA_HOME: home,
      PROV_STORE_BACKEND: 'sqlite',
      PROV_STORE_PORT: String(await freePort()),
    };
    await storeInfra('reset', env);
    await storeInfra('start', env);
    dataDir = await mkdtemp(join(tmpdir(), 'erasure-residue-'));
    const keks = new FileKeyEncryptionKeys(join(dataDir, 'keyring.json'));
    const keys = await MongoSubjectKeyStore.connect(
      { uri: `mongodb://127.0.0.1:${env['PROV_STORE_PORT']}/?directConnection=true`, database: 'residue' },
      keks,
    );
    const service = await startInference(keys, keks);
    platform = { service, keys, directories: [dataDir, service.logDirectory, join(home, 'run', 'store')] };
  }, 900_000);
  afterAll(async () => {
    await platform?.service.close();
    await platform?.keys.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (env) await storeInfra('reset', env);
  }, 120_000);

  it("leaves no way to open an erased value in the store's files once the key-encryption key is rotated", async () => {
    const outcome = await eraseRotateAndScan(platform);
    expectNothingLeftToOpen(outcome);
    // What erasure alone leaves: the store's files may still hold the wrapped key under the current key-encryption key.
    console.info(`ways to open the erased value after erasure, before rotation: ${outcome.afterErasure.length}`);
  }, 120_000);
});
