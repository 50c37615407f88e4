import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyVerifier, generateApiKey } from '@prov/auth';
import { ALL_TOPICS, DEFAULT_TOPIC_PARTITIONS, Topics } from '@prov/contracts';
import { FileEventLog } from '@prov/event-log';
import { InMemoryLineageStore } from '@prov/lineage-store';
import { VIEW_NAMES } from '@prov/projections';
import type { StatusAnswer } from '@prov/sdk';
import Ajv2020 from 'ajv/dist/2020';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Projector } from '../generations/projector';
import { ProjectorMetrics } from '../metrics/projector-metrics';
import { createProjectorHttp } from '../projector-service';

const auditor = generateApiKey('audrey', ['auditor']);
const viewer = generateApiKey('victor', ['viewer']);

describe('GET /v1/status', () => {
  let directory: string;
  let log: FileEventLog;
  let store: InMemoryLineageStore;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'projector-status-'));
    log = await FileEventLog.open(directory, { fsync: 'never', onConsumerError: () => undefined });
    await log.ensureTopics(ALL_TOPICS.map((name) => ({ name, partitions: DEFAULT_TOPIC_PARTITIONS })));
    store = new InMemoryLineageStore();
    // The generations routes are not called here: no projector runs behind them.
    app = await createProjectorHttp({} as Projector, {
      log,
      store,
      apiKeys: new ApiKeyVerifier([auditor.record, viewer.record]),
      metrics: new ProjectorMetrics(),
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
    await log.close();
    await rm(directory, { recursive: true, force: true });
  });

  const get = (url: string, token?: string) =>
    app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers that the log and the views hold nothing yet', async () => {
    const res = await get('/v1/status', auditor.token);
    expect(res.statusCode).toBe(200);
    const status = res.json<StatusAnswer>();
    expect(status.eventLog).toEqual({
      kind: 'file',
      records: 0,
      bytesOnDisk: 0,
      topics: ALL_TOPICS.map((topic) => ({ topic, partitions: DEFAULT_TOPIC_PARTITIONS, records: 0, bytesOnDisk: 0 })),
    });
    expect(status.store).toEqual({ kind: 'memory', bytesOnDisk: null, activeGeneration: null });
  });

  it('counts the records sent, the documents of the active generation, and what it has still to fold', async () => {
    const training = Array.from({ length: 12 }, (_, i) => ({ key: `k${i}`, value: Buffer.from(`training ${i}`) }));
    const inference = Array.from({ length: 30 }, (_, i) => ({ key: `p${i}`, value: Buffer.from(`inference ${i}`) }));
    await log.publish(Topics.training, training);
    const positions = await log.publish(Topics.inference, inference);
    const live = await store.generation('live-1');
    await live.apply([
      { op: 'replace', view: 'nodes', id: 'n:1', doc: { _id: 'n:1' } },
      { op: 'replace', view: 'nodes', id: 'n:2', doc: { _id: 'n:2' } },
      { op: 'replace', view: 'predictions', id: 'p:1', doc: { _id: 'p:1' } },
    ]);
    // Every training partition folded, and the inference records before the last 5 of one partition.
    const { partition } = positions[positions.length - 1];
    const end = (await log.offsets(Topics.inference)).find((p) => p.partition === partition)?.latest as string;
    const inferenceOffsets = (await log.offsets(Topics.inference)).map((p) => ({
      topic: Topics.inference,
      partition: p.partition,
      offset: p.partition === partition ? String(Number(end) - 5) : p.latest,
    }));
    const trainingOffsets = (await log.offsets(Topics.training)).map((p) => ({
      topic: Topics.training,
      partition: p.partition,
      offset: p.latest,
    }));
    await live.saveOffsets([...trainingOffsets, ...inferenceOffsets]);
    await store.activate('live-1');

    const res = await get('/v1/status', auditor.token);
    expect(res.statusCode).toBe(200);
    const status = res.json<StatusAnswer>();
    const records = Object.fromEntries(status.eventLog.topics.map((t) => [t.topic, t.records]));
    expect(records).toEqual({
      ...Object.fromEntries(ALL_TOPICS.map((t) => [t, 0])),
      [Topics.training]: 12,
      [Topics.inference]: 30,
    });
    expect(status.eventLog.records).toBe(42);
    expect(status.eventLog.bytesOnDisk).toBe(
      (await log.holdings(ALL_TOPICS)).topics.reduce((s, t) => s + (t.bytesOnDisk ?? 0), 0),
    );
    expect(status.eventLog.bytesOnDisk).toBeGreaterThan(42 * 10);
    const none = Object.fromEntries(VIEW_NAMES.map((view) => [view, 0]));
    expect(status.store.activeGeneration).toEqual({
      name: 'live-1',
      documents: 3,
      documentsByView: { ...none, nodes: 2, predictions: 1 },
      recordsToFold: 5,
    });
  });

  it('takes no query parameters: ones it does not know are ignored, as by the other routes without any', async () => {
    const plain = await get('/v1/status', auditor.token);
    const asked = await get('/v1/status?verbose=1&topic=x', auditor.token);
    expect(asked.statusCode).toBe(200);
    expect(asked.json()).toEqual(plain.json());
  });

  it('is for auditors: 401 without an API key, 403 with one of another role', async () => {
    expect((await get('/v1/status')).statusCode).toBe(401);
    expect((await get('/v1/status', viewer.token)).statusCode).toBe(403);
  });

  it('is documented: its answer schema, which the answer satisfies, and the refusals of an auditor route', async () => {
    const document = (await get('/docs/openapi.json')).json();
    const responses = document.paths['/v1/status'].get.responses;
    expect(Object.keys(responses).sort()).toEqual(['200', '401', '403', '503']);
    const declared = responses['200'].content['application/json'].schema;
    expect(declared).toEqual({ $ref: '#/components/schemas/answers.StatusAnswer' });
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'openapi', components: document.components });
    const validate = ajv.compile(
      JSON.parse(JSON.stringify(declared).replaceAll('"#/components/', '"openapi#/components/')),
    );
    const answer = (await get('/v1/status', auditor.token)).json();
    expect(validate(answer) ? [] : validate.errors).toEqual([]);
  });
});
