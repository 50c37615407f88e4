import { FileEventLog, type ConsumerHandle, type ConsumerOptions, type EventLog } from '@prov/event-log';
import { Logger } from '@nestjs/common';
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

/** A log whose first consumer joins and is never handed a batch again, as a consumer kafkajs gave up on. */
class LogWithDeadFirstConsumer {
  consumers = 0;
  constructor(readonly log: EventLog) {}
  wrap(): EventLog {
    return new Proxy(this.log, {
      get: (target, property, receiver) => {
        if (property !== 'consume') return Reflect.get(target, property, receiver);
        return async (options: ConsumerOptions): Promise<ConsumerHandle> => {
          this.consumers += 1;
          if (this.consumers > 1) return target.consume(options);
          return { commit: async () => undefined, stop: async () => undefined };
        };
      },
    });
  }
}

describe('projector whose consumer stops fetching while a generation is built', () => {
  it('joins the group again after stallMs and finishes the build', async () => {
    const scenario = buildProvenanceScenario({ predictions: 200, predictionsPerBatch: 100 });
    const directory = await mkdtemp(join(tmpdir(), 'projector-stall-'));
    const log = await FileEventLog.open(directory, { fsync: 'never', onConsumerError: () => undefined });
    const dead = new LogWithDeadFirstConsumer(log);
    const store = new InMemoryLineageStore();
    const said = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const { projector } = await scenarioProjector(dead.wrap(), store, scenario, {
      pollIntervalMs: 20,
      stallSeconds: 0.3,
    });
    await publishScenario(log, scenario);
    try {
      const built = await Promise.race([
        projector.rebuild(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the build never caught up')), 15_000)),
      ]);
      // A slow machine may find the new consumer quiet for as long too, and join once more.
      expect(dead.consumers).toBeGreaterThanOrEqual(2);
      expect(said.mock.calls.map(([message]) => String(message))).toEqual(
        expect.arrayContaining([expect.stringMatching(/not delivered for a while.*joining the group again/)]),
      );
      expect(await (await store.generation(built)).count('predictions')).toBe(200);
    } finally {
      said.mockRestore();
      await projector.stop();
      await log.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
