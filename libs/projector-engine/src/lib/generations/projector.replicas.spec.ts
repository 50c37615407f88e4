import { Topics } from '@prov/contracts';
import { FileEventLog } from '@prov/event-log';
import { InMemoryLineageStore, LineageStore } from '@prov/lineage-store';
import { VIEW_NAMES, servedTotals } from '@prov/projections';
import { buildProvenanceScenario } from '@prov/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishScenario, scenarioProjector } from '../projector.test-helper';
import type { Projector } from './projector';

const scenario = buildProvenanceScenario({ predictions: 6000, predictionsPerBatch: 250, resendEvery: 10 });

/** Two projector replicas in one process, members of one group of the file log, over one store. */
describe('projector replicas sharing a generation', () => {
  let directory: string;
  let log: FileEventLog;
  const stores: LineageStore[] = [];
  const running: Array<{ projector: Projector; done: Promise<void> }> = [];

  async function start(store: LineageStore): Promise<Projector> {
    const { projector } = await scenarioProjector(log, store, scenario, { maxBatchSize: 20 });
    running.push({ projector, done: projector.runLive() });
    return projector;
  }

  async function caughtUp(store: LineageStore, projectors: Projector[]): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const active = await store.activeGeneration();
      if (active && projectors.every((p) => p.liveGeneration === active)) {
        const folded = (await (await store.generation(active)).loadOffsets()).reduce((s, p) => s + Number(p.offset), 0);
        let onLog = 0;
        for (const topic of [Topics.training, Topics.registry, Topics.inference]) {
          for (const p of await log.offsets(topic)) onLog += Number(p.latest);
        }
        if (folded === onLog) return active;
      }
      if (Date.now() > deadline) {
        const offsets = active ? await (await store.generation(active)).loadOffsets() : [];
        throw new Error(
          `the replicas did not catch up within 60 s: active ${active}, live ${projectors.map((p) => p.liveGeneration)}, ${JSON.stringify(offsets)} ${JSON.stringify(await log.offsets(Topics.inference))}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'replicas-'));
    log = await FileEventLog.open(join(directory, 'log'), { fsync: 'never', onConsumerError: () => undefined });
  });

  afterAll(async () => {
    for (const { projector, done } of running) {
      await projector.stop();
      await done;
    }
    await log.close();
    for (const store of stores) await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('fold the log together into the views one projector alone folds, each prediction id counted once', async () => {
    const shared = new InMemoryLineageStore();
    const alone = new InMemoryLineageStore();
    stores.push(shared, alone);
    const replicas = [await start(shared), await start(shared)];
    await publishScenario(log, scenario);
    const together = await caughtUp(shared, replicas);
    expect(together).toBe('live-first');
    const single = await caughtUp(alone, [await start(alone)]);

    const [a, b] = [await shared.generation(together), await alone.generation(single)];
    for (const view of VIEW_NAMES) {
      expect({ view, docs: await a.find(view, {}) }).toEqual({ view, docs: await b.find(view, {}) });
    }
    const totals = await servedTotals(a, { modelVersionId: { in: scenario.modelVersionIds } }, 'modelVersionId');
    expect(totals.reduce((sum, total) => sum + total.predictions, 0)).toBe(scenario.predictionCount);
    const conflicts = await a.find('alerts', { where: { type: 'conflicting-prediction' } });
    expect(conflicts.map((alert) => alert['subject']).sort()).toEqual([...scenario.conflictingIds].sort());
  }, 120_000);
});
