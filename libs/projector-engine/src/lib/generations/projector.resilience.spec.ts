import { FileEventLog } from '@prov/event-log';
import { generateSigningKeyPair } from '@prov/integrity';
import { InMemoryLineageStore, LineageStoreUnavailableError } from '@prov/lineage-store';
import { buildProvenanceScenario } from '@prov/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustedKeys } from '../decoding/trusted-keys';
import { createProjector } from '../projector-service';

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
    const key = generateSigningKeyPair();
    const { projector } = await createProjector({
      log,
      store,
      trustedKeys: TrustedKeys.fromPem(
        Object.entries(scenario.signers).map(([service, pair]) => ({ service, pem: pair.publicKeyPem })),
      ),
      requireSignatures: true,
      signer: { keyId: key.keyId, privateKey: key.privateKey },
      maxBatchSize: 100,
      pollIntervalMs: 20,
    });
    for (const topic of new Set(scenario.messages.map((m) => m.topic))) {
      await log.publish(
        topic,
        scenario.messages.filter((m) => m.topic === topic).map((m) => ({ key: m.key, value: m.value })),
      );
    }
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
