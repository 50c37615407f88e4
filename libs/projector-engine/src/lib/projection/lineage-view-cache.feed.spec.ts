import { Topics } from '@prov/contracts';
import { FileEventLog } from '@prov/event-log';
import { InMemoryLineageStore } from '@prov/lineage-store';
import { buildProvenanceScenario, type ProvenanceScenario } from '@prov/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioProjector } from '../projector.test-helper';
import { LineageViewCache } from './lineage-view-cache';

type Message = ProvenanceScenario['messages'][number];

describe("the lineage cache of a projector that is the group's only member", () => {
  it('is never emptied while it holds entries, however predictions and lineage interleave', async () => {
    const scenario = buildProvenanceScenario({ predictions: 1000, predictionsPerBatch: 250 });
    const directory = await mkdtemp(join(tmpdir(), 'lineage-cache-'));
    const log = await FileEventLog.open(directory, { fsync: 'never', onConsumerError: () => undefined });
    const store = new InMemoryLineageStore();
    const { projector } = await scenarioProjector(log, store, scenario, { pollIntervalMs: 20 });
    const emptiedWithEntries: number[] = [];
    const clear = LineageViewCache.prototype.clear;
    const spy = jest.spyOn(LineageViewCache.prototype, 'clear').mockImplementation(function (this: LineageViewCache) {
      if (this.size > 0) emptiedWithEntries.push(this.size);
      clear.call(this);
    });
    const running = projector.runLive();
    const published: Message[] = [];
    const publish = async (messages: Message[]) => {
      for (const topic of new Set(messages.map((m) => m.topic))) {
        await log.publish(
          topic,
          messages.filter((m) => m.topic === topic).map((m) => ({ key: m.key, value: m.value })),
        );
      }
      published.push(...messages);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const active = await store.activeGeneration();
        const folded = active
          ? (await (await store.generation(active)).loadOffsets()).reduce((sum, p) => sum + Number(p.offset), 0)
          : 0;
        if (folded === published.length) return;
        if (Date.now() > deadline) throw new Error(`folded ${folded} of ${published.length} records`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      const registry = scenario.messages.filter((m) => m.topic === Topics.registry);
      const half = Math.ceil(registry.length / 2);
      // Lineage, then predictions, then lineage again: the second lineage batches follow commits of predictions.
      await publish([...scenario.messages.filter((m) => m.topic === Topics.training), ...registry.slice(0, half)]);
      await publish(scenario.messages.filter((m) => m.topic === Topics.inference));
      await publish(registry.slice(half));
      expect(spy).toHaveBeenCalled();
      expect(emptiedWithEntries).toEqual([]);
    } finally {
      spy.mockRestore();
      await projector.stop();
      await running;
      await log.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
