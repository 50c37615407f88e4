import { Topics } from '@prov/contracts';
import { KafkaEventLog } from '@prov/event-log';
import { brokerControl, integrationEnv, readEvents, uniqueName } from '@prov/testing';
import { RunningServices } from './running-services';

/**
 * A broker that dies under a batch: the inference service answers 503
 * (retriable) within its publish timeout, never a success it cannot back,
 * and the batch is on the log whole or not at all. When the broker is back,
 * the same service accepts batches again without a restart.
 */
const { kafkaBrokers } = integrationEnv();
const broker = brokerControl();

describe('inference service when the Kafka broker goes away', () => {
  const services = new RunningServices();

  beforeAll(async () => {
    await services.start(['inference-service'], {
      PROV_EVENT_LOG: 'kafka',
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_PUBLISH_TIMEOUT_MS: '5000',
    });
  }, 180_000);

  afterAll(async () => {
    await broker.start();
    await services.stop();
  }, 180_000);

  const send = (name: string, n: number) =>
    fetch(`${services.urls['inference-service']}/v1/predictions:batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${services.tokens['ml-service']}` },
      body: JSON.stringify({
        deployment: 'outage',
        modelVersionId: 'model:outage@1',
        artifactDigest: `sha256:${'9'.repeat(64)}`,
        predictions: Array.from({ length: n }, (_, i) => ({
          id: `${name}-${i}`,
          at: '2026-11-25T10:00:00Z',
          inputDigest: `sha256:${'3'.repeat(64)}`,
        })),
      }),
    });

  it('answers 503 while the broker is down, stores no partial batch, and recovers', async () => {
    expect((await send(uniqueName('before'), 10)).status).toBe(201);

    await broker.stop();
    const during = uniqueName('during');
    const started = Date.now();
    const refused = await send(during, 2000);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: 'unavailable' } });
    expect(Date.now() - started).toBeLessThan(30_000);

    await broker.start();
    let after = 0;
    for (let attempt = 0; attempt < 30 && after !== 201; attempt++) {
      after = (await send(uniqueName('after'), 10)).status;
      if (after !== 201) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(after).toBe(201);

    const log = await KafkaEventLog.connect({ brokers: kafkaBrokers });
    try {
      const counts = (await readEvents(log, Topics.inference))
        .map((e) => (e.payload as { predictions: Array<{ predictionId: string }> }).predictions)
        .map((predictions) => predictions.filter((p) => p.predictionId.startsWith(`pred:${during}-`)).length)
        .filter((count) => count > 0);
      // The refused batch is absent, or (had the broker acknowledged after the timeout) present whole.
      expect(counts.every((count) => count === 2000)).toBe(true);
      expect(counts.length).toBeLessThanOrEqual(1);
    } finally {
      await log.close();
    }
  }, 240_000);
});
