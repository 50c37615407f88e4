import { EXAMPLE_PAYLOADS } from '@prov/contracts';
import { FileEventLog } from '@prov/event-log';
import { InMemoryLineageStore, LineageStore } from '@prov/lineage-store';
import { ProvenancePublisher } from '@prov/publishing';
import { buildProvenanceScenario } from '@prov/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Projector } from '../generations/projector';
import { ProjectorMetrics } from '../metrics/projector-metrics';
import { publishScenario, scenarioProjector } from '../projector.test-helper';

const scenario = buildProvenanceScenario({ predictions: 1000, predictionsPerBatch: 250 });

describe('alerts the live generation raises', () => {
  let directory: string;
  let log: FileEventLog;
  let store: LineageStore;
  let metrics: ProjectorMetrics;
  let projector: Projector;
  let running: Promise<void>;
  let webhook: Server;
  const posted: string[] = [];

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        posted.push((JSON.parse(body) as { id: string }).id);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    directory = await mkdtemp(join(tmpdir(), 'projector-alerts-'));
    log = await FileEventLog.open(join(directory, 'log'), { fsync: 'never', onConsumerError: () => undefined });
    store = new InMemoryLineageStore();
    metrics = new ProjectorMetrics();
    ({ projector } = await scenarioProjector(log, store, scenario, {
      metrics,
      alertWebhook: { url: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/alerts`, retries: 0 },
    }));
    await publishScenario(log, scenario);
    running = projector.runLive();
  }, 60_000);

  afterAll(async () => {
    await projector.stop();
    await running;
    await log.close();
    await store.close();
    await new Promise((resolve) => webhook.close(resolve));
    await rm(directory, { recursive: true, force: true });
  });

  const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const raisedCount = async (generation: string, type: string) =>
    (await metrics.registry.getSingleMetric('projector_alerts_raised_total')?.get())?.values.find(
      (v) => v.labels['generation'] === generation && v.labels['type'] === type,
    )?.value ?? 0;

  it('posts each alert raised while following the log once, counts it, and not the history a build re-derives', async () => {
    const active = await until('the first generation', async () =>
      projector.liveGeneration && projector.liveGeneration === (await store.activeGeneration())
        ? projector.liveGeneration
        : undefined,
    );
    const views = await store.generation(active);
    await until('the history', async () =>
      (await views.count('predictions')) === scenario.predictionCount ? true : undefined,
    );
    const historical = await views.count('alerts');
    expect(historical).toBeGreaterThan(0);
    expect(posted).toEqual([]);
    const raisedBefore = await raisedCount(active, 'prediction.unknown-model-version');
    const deploymentsRaisedBefore = await raisedCount(active, 'prediction.unknown-deployment');

    // Three batches of a model version nobody registered, on a deployment nobody created: one alert of each,
    // raised by the first batch; the others rewrite the model version's counts and leave the deployment's as it is.
    const inference = new ProvenancePublisher(log, {
      service: 'inference-service',
      signer: {
        keyId: scenario.signers['inference-service'].keyId,
        privateKey: scenario.signers['inference-service'].privateKey,
      },
    });
    const batch = EXAMPLE_PAYLOADS['prediction.batch.recorded'][1] as never as {
      batchId: string;
      predictions: Array<{ predictionId: string }>;
    };
    for (const n of [1, 2, 3]) {
      await inference.publish(
        {
          type: 'prediction.batch.recorded',
          payload: {
            ...batch,
            batchId: `batch:0190f1a4-8c1e-7b2a-9c3d-00000000000${n}`,
            modelVersionId: 'model:ghost@1',
            predictions: batch.predictions.map((p) => ({ ...p, predictionId: `${p.predictionId}-${n}` })),
          } as never,
        },
        { id: 'scorer', roles: ['ml-service'] },
      );
      const id = 'prediction.unknown-model-version|model:ghost@1';
      await until(`batch ${n}`, async () => {
        const stored = (await views.get('alerts', [id])).get(id) as { details: { batches: number } } | undefined;
        return stored?.details.batches === n ? true : undefined;
      });
    }
    const raisedIds = [
      'prediction.unknown-deployment|deployment:churn-api',
      'prediction.unknown-model-version|model:ghost@1',
    ];
    await until('the posts', async () => (posted.length >= raisedIds.length ? true : undefined));
    await new Promise((r) => setTimeout(r, 200));
    expect([...posted].sort()).toEqual(raisedIds);
    expect(await raisedCount(active, 'prediction.unknown-model-version')).toBe(raisedBefore + 1);
    expect(await raisedCount(active, 'prediction.unknown-deployment')).toBe(deploymentsRaisedBefore + 1);
    const exported = await metrics.registry.getSingleMetricAsString('projector_alert_notifications_total');
    expect(exported).toContain('projector_alert_notifications_total{outcome="delivered"} 2');

    // A rebuild derives every alert again in its generation (counted there) and posts none of them again.
    const rebuilt = await projector.rebuild();
    expect(await (await store.generation(rebuilt)).count('alerts')).toBe(historical + raisedIds.length);
    expect(await raisedCount(rebuilt, 'prediction.unknown-model-version')).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect([...posted].sort()).toEqual(raisedIds);
  });
});
