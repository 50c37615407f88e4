import { EventEnvelope, Topics, validateEnvelope } from '@prov/contracts';
import { KafkaEventLog } from '@prov/event-log';
import {
  artifactManifestDigest,
  dataSliceId,
  datasetVersionId,
  payloadDigest,
  signingKeyPairFromPem,
  verifyEnvelope,
} from '@prov/integrity';
import { ProvenanceApiError } from '@prov/sdk';
import { integrationEnv, uniqueName } from '@prov/testing';
import { RunningServices, ServiceName } from '@prov/platform-testing';
import { connect } from 'node:net';

/**
 * The status a service answers to a POST that declares a large body, over a
 * plain socket: the headers and the body's first 64 KiB, then nothing more
 * until the answer. A service must refuse a body over its limit from the
 * declared Content-Length, without reading it. Writing on after the service
 * has answered and closed would race its answer against a broken pipe (the
 * client's write fails before the answer waiting to be read is seen).
 */
function statusOfLargePost(url: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = '';
    let answered = false;
    const socket = connect(Number(port), hostname, () => {
      const head = Object.entries({ ...headers, host: `${hostname}:${port}`, 'content-length': String(body.length) })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(
        Buffer.concat([Buffer.from(`POST ${pathname} HTTP/1.1\r\n${head}\r\n`), body.subarray(0, 64 * 1024)]),
      );
    });
    socket.setTimeout(30_000, () =>
      socket.destroy(new Error(`no answer within 30 s to a POST declaring ${body.length} bytes`)),
    );
    socket.on('data', (data) => {
      answer += data.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status && !answered) {
        answered = true;
        resolve(Number(status[1]));
        socket.destroy();
      }
    });
    socket.on('error', (error) => {
      if (!answered) reject(error);
    });
    socket.on('close', () => {
      if (!answered)
        reject(new Error(`the connection closed without an answer: ${JSON.stringify(answer.slice(0, 200))}`));
    });
  });
}

/**
 * The three producer services as separate processes on real Kafka, driven
 * over HTTP through the SDK as a user would; every event is read back from
 * the topics, its digest recomputed and its signature checked.
 */
const { kafkaBrokers } = integrationEnv();
const hex = (c: string) => c.repeat(64);

describe('producer services on real Kafka', () => {
  const services = new RunningServices();
  let log: KafkaEventLog;
  const startOffsets = new Map<string, Map<number, string>>();

  beforeAll(async () => {
    log = await KafkaEventLog.connect({ brokers: kafkaBrokers, clientId: 'e2e-reader' });
    await services.start(['training-service', 'registry-service', 'inference-service'], {
      PROV_EVENT_LOG: 'kafka',
      KAFKA_BROKERS: kafkaBrokers.join(','),
    });
    for (const topic of [Topics.training, Topics.registry, Topics.inference]) {
      startOffsets.set(topic, new Map((await log.offsets(topic)).map((p) => [p.partition, p.latest])));
    }
  }, 180_000);

  afterAll(async () => {
    await services.stop();
    await log?.close();
  });

  /** Events published since this suite started, about the given subjects. */
  async function eventsAbout(topic: string, subjects: Set<string>): Promise<EventEnvelope[]> {
    const events: EventEnvelope[] = [];
    for (const { partition, latest } of await log.offsets(topic)) {
      const from = startOffsets.get(topic)?.get(partition) ?? '0';
      if (BigInt(latest) <= BigInt(from)) continue;
      for (const record of await log.read(topic, partition, from, Number(BigInt(latest) - BigInt(from)))) {
        const event = JSON.parse(record.value.toString()) as EventEnvelope;
        if (subjects.has(event.subject)) events.push(event);
      }
    }
    return events.sort((a, b) => a.eventId.localeCompare(b.eventId));
  }

  async function checkIntegrity(events: EventEnvelope[], service: ServiceName) {
    const { publicKey, keyId } = signingKeyPairFromPem(await services.signingKeyPem(service));
    for (const event of events) {
      expect(validateEnvelope(event)).toMatchObject({ ok: true });
      expect(event.integrity.payloadDigest).toBe(payloadDigest(event.payload));
      expect(verifyEnvelope(event, (id) => (id === keyId ? publicKey : undefined), { requireSignature: true })).toEqual(
        { ok: true, signed: true },
      );
      expect(event.producer.service).toBe(service);
    }
  }

  it('publishes the whole chain, dataset to predictions, as exact signed events', async () => {
    const name = uniqueName('events');
    const parts = [{ path: `${name}/part-0.parquet`, sizeBytes: 1024, sha256: hex('1') }];
    const dsv = datasetVersionId(parts);
    const criteria = { source: 'web', sampling: { fraction: 0.5, seed: 7 } };
    const slice = dataSliceId(dsv, criteria);
    const steward = services.client('data-steward');
    const engineer = services.client('model-engineer');

    const dataset = await steward.datasets.register({ namespace: 'e2e', name, owner: 'data@example.com' });
    expect(dataset).toEqual({ id: `dataset:e2e/${name}`, created: true });
    expect(await steward.datasets.registerVersion(dataset.id, { parts, source: 's3://lake/e2e/' })).toEqual({
      id: dsv,
      created: true,
    });
    expect(await steward.slices.define({ datasetVersionId: dsv, criteria, labels: { 'label.kind': 'gold' } })).toEqual({
      id: slice,
      created: true,
    });
    const pipeline = await engineer.pipelines.register({
      name,
      version: '1.0',
      codeDigest: 'git:abc1234',
      steps: [{ name: 'scale', transform: 'StandardScaler' }],
    });
    const run = await engineer.runs.start({
      pipeline: pipeline.id,
      inputs: [{ sliceId: slice, role: 'train' }],
      hyperparameters: { 'optimizer.lr': 0.01, $scale: 2 },
      seeds: { torch: 7 },
      codeCommit: 'abc1234',
      environment: {},
      startedAt: '2026-11-25T08:00:00Z',
    });
    await engineer.runs.complete(run.id, {
      status: 'succeeded',
      endedAt: '2026-11-25T09:00:00Z',
      metrics: { auc: 0.9 },
    });
    const files = [{ path: 'model.onnx', sizeBytes: 10, sha256: hex('8') }];
    const model = await engineer.models.registerVersion(name, {
      version: '1',
      runId: run.id,
      artifact: { uri: 's3://m/1/', digest: artifactManifestDigest(files), parts: files },
    });
    const deployment = await engineer.deployments.create({
      name,
      modelVersionId: model.id,
      endpoint: 'https://svc/predict',
    });
    const accepted = await services.client('ml-service').predictions.recordBatch({
      deployment: name,
      modelVersionId: model.id,
      artifactDigest: artifactManifestDigest(files),
      predictions: Array.from({ length: 1000 }, (_, i) => ({
        id: `${name}-${i}`,
        at: '2026-11-25T10:00:00Z',
        inputDigest: `sha256:${hex('3')}`,
      })),
    });
    expect(accepted).toEqual({ accepted: 1000, batchId: expect.stringMatching(/^batch:/), duplicates: [] });

    const training = await eventsAbout(Topics.training, new Set([dataset.id, dsv, slice, pipeline.id, run.id]));
    expect(training.map((e) => `${e.type} ${e.subject}`)).toEqual([
      `dataset.registered ${dataset.id}`,
      `dataset.version.registered ${dsv}`,
      `dataset.slice.defined ${slice}`,
      `pipeline.registered ${pipeline.id}`,
      `training.run.started ${run.id}`,
      `training.run.completed ${run.id}`,
    ]);
    expect(training[4].payload).toMatchObject({
      hyperparameters: { 'optimizer.lr': 0.01, $scale: 2 },
      seeds: { torch: 7 },
      owner: 'e2e-model-engineer',
    });
    await checkIntegrity(training, 'training-service');

    const registry = await eventsAbout(Topics.registry, new Set([model.id, deployment.id]));
    expect(registry.map((e) => e.type)).toEqual(['model.version.registered', 'deployment.created']);
    await checkIntegrity(registry, 'registry-service');

    const [batch, ...more] = await eventsAbout(Topics.inference, new Set([accepted.batchId as string]));
    expect(more).toEqual([]);
    expect((batch.payload as { predictions: unknown[] }).predictions).toHaveLength(1000);
    await checkIntegrity([batch], 'inference-service');
  });

  it('answers bad requests with their field paths, over real HTTP, and publishes nothing', async () => {
    const name = uniqueName('bad');
    const error = await services
      .client('data-steward')
      .datasets.register({ namespace: 'e2e', name, owner: 'o', $where: '1' } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvenanceApiError);
    expect(error).toMatchObject({
      status: 400,
      details: [{ path: '$where', problem: expect.stringContaining('should not exist') }],
    });

    const url = `${services.urls['inference-service']}/v1/predictions:batch`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${services.tokens['ml-service']}` };
    const huge = await statusOfLargePost(url, headers, Buffer.from(`{"deployment":"${'x'.repeat(50 * 1024 * 1024)}"}`));
    expect(huge).toBe(413);
    const notUtf8 = await fetch(url, {
      method: 'POST',
      headers,
      body: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
    });
    expect(notUtf8.status).toBe(400);
    expect(await eventsAbout(Topics.training, new Set([`dataset:e2e/${name}`]))).toEqual([]);
  });
});
