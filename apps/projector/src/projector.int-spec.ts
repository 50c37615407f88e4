import { VIEW_NAMES } from '@prov/projections';
import { buildProvenanceScenario } from '@prov/testing';
import { ProjectorProcesses } from './projector-processes.test-helper';

/**
 * The projector as its own process on real Kafka and FerretDB, killed with
 * SIGKILL three times while a realistic history streams in: afterwards its
 * views must be identical to a clean rebuild of the same log into another
 * generation. Then an audit rebuild as of a past time must not know of a
 * slice flagged after that time.
 */
const scenario = buildProvenanceScenario();
let processes: ProjectorProcesses;

beforeAll(async () => {
  processes = await ProjectorProcesses.open('projector', scenario);
}, 60_000);

afterAll(async () => {
  await processes?.close();
});

describe('projector on real Kafka and FerretDB', () => {
  let live = '';

  it('ends, after three SIGKILLs during the run, with views identical to a clean rebuild', async () => {
    const { log, store, auditor } = processes;
    await processes.ensureTopics();
    // The history streams in while the projector runs (and is killed).
    const publishing = processes.publishScenario();

    let projector = await processes.start();
    for (let kill = 0; kill < 3; kill++) {
      await new Promise((r) => setTimeout(r, 3000 + Math.random() * 5000));
      await projector.kill('SIGKILL');
      projector = await processes.start([], projector.port);
    }
    await publishing;

    live = await processes.untilActiveCaughtUp();
    const listing = await fetch(`http://127.0.0.1:${projector.port}/v1/generations`, {
      headers: { authorization: `Bearer ${auditor.token}` },
    }).then((r) => r.json());
    expect(listing).toMatchObject({ active: live });
    expect(await projector.kill('SIGTERM')).toBe(0);

    const rebuilt = JSON.parse(await processes.runToEnd(['rebuild'])).generation as string;
    expect(rebuilt).not.toBe(live);
    expect(await store.activeGeneration()).toBe(rebuilt);

    const [afterKills, clean] = [await processes.viewsOf(live), await processes.viewsOf(rebuilt)];
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
    const { store } = processes;
    const result = JSON.parse(
      await processes.runToEnd(['audit-rebuild', '--as-of', scenario.betweenFlags, '--name', 'between-flags']),
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
