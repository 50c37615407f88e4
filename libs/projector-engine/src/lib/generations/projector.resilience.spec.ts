import { FileEventLog } from '@prov/event-log';
import { InMemoryLineageStore, LineageStoreUnavailableError } from '@prov/lineage-store';
import { buildProvenanceScenario } from '@prov/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishScenario, scenarioProjector } from '../projector.test-helper';

/** A store that is away for its first few calls, as one restarting would be. */
class StoreAwayAtFirst extends InMemoryLineageStore {
  failures = 3;
  override async activeGeneration(): Promise<string | undefined> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new LineageStoreUnavailableError('activeGeneration', new Error('the store is restarting'));
    }
    return super.activeGeneration();
  }
}

describe('projector when its store is away for a while', () => {
  it('waits for the store and then builds and activates its generation', async () => {
    const scenario = buildProvenanceScenario({ predictions: 1000, predictionsPerBatch: 500 });
    const directory = await mkdtemp(join(tmpdir(), 'projector-away-'));
    const log = await FileEventLog.open(directory, { fsync: 'never', onConsumerError: () => undefined });
    const store = new StoreAwayAtFirst();
    const { projector } = await scenarioProjector(log, store, scenario, { maxBatchSize: 100, pollIntervalMs: 20 });
    await publishScenario(log, scenario);
    const running = projector.runLive();
    try {
      const deadline = Date.now() + 20_000;
      let active: string | undefined;
      while (!active && Date.now() < deadline) {
        active = await store.activeGeneration().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(store.failures).toBe(0);
      expect(active).toBeDefined();
      expect(await (await store.generation(active as string)).count('predictions')).toBe(1000);
    } finally {
      await projector.stop();
      await running;
      await log.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
