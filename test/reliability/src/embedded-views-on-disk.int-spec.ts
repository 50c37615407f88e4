import { DEFAULT_TOPIC_PARTITIONS } from '@prov/contracts';
import { FileEventLog } from '@prov/event-log';
import { LmdbLineageStore } from '@prov/lineage-store';
import { VIEW_NAMES, type ViewDocument } from '@prov/projections';
import { buildProvenanceScenario, EmbeddedPlatformProcess, scenarioTrustedKeys, writeScenario } from '@prov/testing';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The embedded mode (`prov up`, what `npm start` runs) keeps its views on
 * disk. Killed with SIGKILL in the middle of its bulk writes, twice, it
 * resumes where it was and ends with views equal to a clean rebuild; and a
 * data directory of a million predictions answers traces within seconds of
 * a restart, without folding the log again.
 */
/** 1,000,000 by default (the size the embedded mode is held to); fewer for a quick local run. */
const predictions = Number(process.env['PROV_EMBEDDED_TEST_PREDICTIONS'] ?? 1_000_000);
const RESTART_READY_MS = 5_000;
const scenario = buildProvenanceScenario({ predictions, predictionsPerBatch: 1000, resendEvery: 10 });
const dataDirectory = mkdtempSync(join(tmpdir(), 'prov-embedded-views-'));
const env = { PROV_TRUSTED_KEYS: scenarioTrustedKeys(scenario), PROV_PROJECTOR_POLL_MS: '200' };
const started: EmbeddedPlatformProcess[] = [];

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(label: string): Promise<EmbeddedPlatformProcess> {
  const platform = await EmbeddedPlatformProcess.start(label, dataDirectory, env);
  started.push(platform);
  return platform;
}

async function generations(platform: EmbeddedPlatformProcess) {
  const answer = await fetch(`${platform.url('projector')}/v1/generations`, {
    headers: { authorization: `Bearer ${platform.token}` },
  });
  if (!answer.ok) throw new Error(`GET /v1/generations: ${answer.status}`);
  return (await answer.json()) as {
    active: string | null;
    generations: Array<{ name: string; progress?: { processed: number } }>;
  };
}

/** Events the projector reports folded into the generation being built, or undefined while it does not answer. */
async function processed(platform: EmbeddedPlatformProcess): Promise<number | undefined> {
  try {
    const listing = await generations(platform);
    return listing.generations.reduce((most, g) => Math.max(most, g.progress?.processed ?? 0), 0);
  } catch {
    return undefined;
  }
}

async function until<T>(
  what: string,
  platform: EmbeddedPlatformProcess,
  probe: () => Promise<T | undefined>,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    platform.assertRunning();
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms:\n${platform.tail()}`);
    await pause(50);
  }
}

const readyLine = (platform: EmbeddedPlatformProcess) => async () =>
  platform.readyAfterMs === undefined ? undefined : true;

/** Every document of every view of a generation, read from the data directory once no platform runs. */
async function viewsOf(generation: string): Promise<Record<string, ViewDocument[]>> {
  const store = await LmdbLineageStore.open(join(dataDirectory, 'views'));
  try {
    const views = await store.generation(generation);
    const all: Record<string, ViewDocument[]> = {};
    for (const view of VIEW_NAMES) all[view] = await views.find(view, { sort: [['_id', 1]] });
    return all;
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  // Not what is tested: the log is made here, without an fsync per write.
  const log = await FileEventLog.open(join(dataDirectory, 'log'), { fsync: 'never' });
  try {
    await writeScenario(log, scenario, DEFAULT_TOPIC_PARTITIONS);
  } finally {
    await log.close();
  }
}, 600_000);

afterAll(async () => {
  await Promise.all(started.map((platform) => platform.kill('SIGKILL')));
  rmSync(dataDirectory, { recursive: true, force: true });
}, 60_000);

describe('the embedded mode with its views on disk', () => {
  let built: string;

  it('resumes after SIGKILLs in the middle of its bulk writes, with views equal to a clean rebuild', async () => {
    const events = scenario.messages.length;
    // Two kills while the first generation is being built: early, then past the middle.
    for (const [share, label] of [
      [0.2, 'first'],
      [0.6, 'second'],
    ] as const) {
      const platform = await start(`embedded platform (${label} run)`);
      await until(
        `${label} run folding past ${share * 100}%`,
        platform,
        async () => {
          const done = await processed(platform);
          return done !== undefined && done >= share * events ? done : undefined;
        },
        600_000,
      );
      // A moment later, inside the next bulk write rather than between two.
      await pause(randomInt(50, 400));
      await platform.kill('SIGKILL');
    }

    const resumed = await start('embedded platform (resumed)');
    await until('the resumed run to be ready', resumed, readyLine(resumed), 900_000);
    built = (await generations(resumed)).active as string;
    expect(built).toBeTruthy();

    const rebuild = await fetch(`${resumed.url('projector')}/v1/generations/rebuild`, {
      method: 'POST',
      headers: { authorization: `Bearer ${resumed.token}` },
    });
    expect(rebuild.status).toBe(202);
    const clean = ((await rebuild.json()) as { generation: string }).generation;
    await until(
      'the clean rebuild to be active',
      resumed,
      async () => ((await generations(resumed)).active === clean ? true : undefined),
      900_000,
    );
    await resumed.stop();

    const [afterKills, rebuilt] = [await viewsOf(built), await viewsOf(clean)];
    for (const view of VIEW_NAMES) expect({ view, docs: afterKills[view] }).toEqual({ view, docs: rebuilt[view] });
    expect(rebuilt['predictions']).toHaveLength(scenario.predictionCount);
    built = clean;
  }, 1_800_000);

  it(`answers traces within ${RESTART_READY_MS / 1000} s of a restart, without folding the log again`, async () => {
    const platform = await start('embedded platform (restart)');
    const traced = await until(
      'a trace answered',
      platform,
      async () => {
        const id = `pred:scenario-${randomInt(predictions)}`;
        const token = await Promise.resolve()
          .then(() => platform.token)
          .catch(() => undefined);
        if (!token) return undefined;
        const answer = await fetch(`${platform.url('gateway')}/v1/predictions/${encodeURIComponent(id)}/trace`, {
          headers: { authorization: `Bearer ${token}` },
        }).catch(() => undefined);
        return answer?.status === 200 ? platform.age : undefined;
      },
      120_000,
    );
    await until('the ready line', platform, readyLine(platform), 60_000);
    // The generation the rebuild left active is the one answering: nothing was folded again.
    expect((await generations(platform)).active).toBe(built);
    await platform.stop();
    expect(Math.round(traced)).toBeLessThanOrEqual(RESTART_READY_MS);
  }, 300_000);
});
