import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProvenanceApiError } from './provenance-api.error';
import { ProvenanceClient } from './provenance-client';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A real HTTP server answering from a script, recording what it received. */
async function scriptedServer(answers: Array<{ status: number; body: unknown }>) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      received.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      const answer = (answers.length > 1 ? answers.shift() : undefined) ?? answers[0];
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

const noWait = async () => undefined;

describe('provenance client', () => {
  it('posts with the API key and an Idempotency-Key, and returns the id', async () => {
    const server = await scriptedServer([
      { status: 201, body: { id: 'dataset:crm/events', created: true, eventId: 'e' } },
    ]);
    const client = new ProvenanceClient({ apiKey: 'prov_key', trainingUrl: server.url });
    await expect(client.datasets.register({ namespace: 'crm', name: 'events', owner: 'o' })).resolves.toEqual({
      id: 'dataset:crm/events',
      created: true,
    });
    expect(server.received[0]).toMatchObject({
      method: 'POST',
      url: '/v1/datasets',
      headers: { authorization: 'Bearer prov_key', 'idempotency-key': expect.stringMatching(/^[0-9a-f-]{36}$/) },
      body: { namespace: 'crm', name: 'events', owner: 'o' },
    });
    await server.close();
  });

  it('encodes ids in paths', async () => {
    const server = await scriptedServer([{ status: 201, body: { id: 'dsv:sha256:x', created: true } }]);
    const client = new ProvenanceClient({ apiKey: 'k', trainingUrl: server.url });
    await client.datasets.registerVersion('dataset:crm/events', { parts: [], source: 's' });
    expect(server.received[0].url).toBe('/v1/datasets/dataset%3Acrm%2Fevents/versions');
    await server.close();
  });

  it('retries 503 with the same Idempotency-Key, backing off', async () => {
    const server = await scriptedServer([
      { status: 503, body: { error: { code: 'unavailable', message: 'log down', details: [] } } },
      { status: 503, body: { error: { code: 'unavailable', message: 'log down', details: [] } } },
      { status: 201, body: { id: 'run:x', created: true } },
    ]);
    const delays: number[] = [];
    const client = new ProvenanceClient({
      apiKey: 'k',
      trainingUrl: server.url,
      retry: { initialDelayMs: 100, maxDelayMs: 1000 },
      sleep: async (ms) => void delays.push(ms),
    });
    await client.runs.complete('run:x', { status: 'succeeded', endedAt: '2026-01-01T00:00:00Z' });
    expect(server.received).toHaveLength(3);
    expect(new Set(server.received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
    await server.close();
  });

  it('does not retry a refused request and reports its problems', async () => {
    const details = [{ path: 'owner', problem: 'owner must be a string' }];
    const server = await scriptedServer([
      { status: 400, body: { error: { code: 'invalid_request', message: 'owner: owner must be a string', details } } },
    ]);
    const client = new ProvenanceClient({ apiKey: 'k', trainingUrl: server.url, sleep: noWait });
    const error = await client.datasets
      .register({ namespace: 'crm', name: 'events', owner: 1 as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvenanceApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', details, retriable: false });
    expect(server.received).toHaveLength(1);
    await server.close();
  });

  it('gives up on an unreachable service after its retries, as a retriable network error', async () => {
    const server = await scriptedServer([{ status: 200, body: {} }]);
    await server.close();
    const client = new ProvenanceClient({ apiKey: 'k', registryUrl: server.url, retry: { retries: 2 }, sleep: noWait });
    const error = await client.deployments
      .revise('churn-api', { modelVersionId: 'model:m@1' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: 'network', retriable: true });
  });
});

describe('queries and generations', () => {
  it('asks the gateway, with encoded ids and only the parameters given', async () => {
    const server = await scriptedServer([{ status: 200, body: {} }]);
    const client = new ProvenanceClient({ apiKey: 'prov_key', gatewayUrl: `${server.url}/` });
    const slice = `slice:sha256:${'a'.repeat(64)}`;
    const encodedSlice = `slice%3Asha256%3A${'a'.repeat(64)}`;
    await client.queries.trace('pred:req-42');
    await client.queries.trace('pred:req-42', { level: 'full' });
    await client.queries.lineage('dataset:crm/events');
    await client.queries.lineage('model:churn@3.1.0+cpu', { direction: 'upstream', depth: 0, maxNodes: 50 });
    await client.queries.sliceImpact(slice);
    await client.queries.datasetVersionImpact(`dsv:sha256:${'b'.repeat(64)}`);
    await client.queries.slicePredictions(slice);
    await client.queries.slicePredictions(slice, { cursor: 'c+/=', limit: 500 });
    await client.queries.sliceTimeline(slice);
    await client.queries.sliceTimeline(slice, { bucket: 'hour' });
    await client.queries.datasetVersionTimeline(`dsv:sha256:${'b'.repeat(64)}`, { bucket: 'week' });
    await client.queries.deployment('deployment:churn-api');
    await client.queries.compare('deployment:churn-api', 'model:churn@3.1.0');
    await client.queries.modelLineage('model:churn@3.1.0');
    await client.queries.modelCompleteness('model:churn@3.1.0');
    await client.queries.modelCompleteness('model:churn@3.1.0', { level: 'full' });
    await client.queries.alerts();
    await client.queries.alerts({ type: 'model.trained-on-flagged-slice', since: '2026-11-04T12:00:00Z' });
    await client.queries.deadLetters();
    await client.queries.deadLetters({
      reason: 'bad-signature',
      topic: 'provenance.inference.v1',
      cursor: 'c',
      limit: 5,
    });
    expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v1/predictions/pred%3Areq-42/trace',
      'GET /v1/predictions/pred%3Areq-42/trace?level=full',
      'GET /v1/lineage/dataset%3Acrm%2Fevents',
      'GET /v1/lineage/model%3Achurn%403.1.0%2Bcpu?direction=upstream&depth=0&maxNodes=50',
      `GET /v1/slices/${encodedSlice}/impact`,
      `GET /v1/dataset-versions/dsv%3Asha256%3A${'b'.repeat(64)}/impact`,
      `GET /v1/slices/${encodedSlice}/impact/predictions`,
      `GET /v1/slices/${encodedSlice}/impact/predictions?cursor=c%2B%2F%3D&limit=500`,
      `GET /v1/slices/${encodedSlice}/impact/timeline`,
      `GET /v1/slices/${encodedSlice}/impact/timeline?bucket=hour`,
      `GET /v1/dataset-versions/dsv%3Asha256%3A${'b'.repeat(64)}/impact/timeline?bucket=week`,
      'GET /v1/deployments/deployment%3Achurn-api',
      'GET /v1/compare?left=deployment%3Achurn-api&right=model%3Achurn%403.1.0',
      'GET /v1/models/model%3Achurn%403.1.0/lineage',
      'GET /v1/models/model%3Achurn%403.1.0/completeness',
      'GET /v1/models/model%3Achurn%403.1.0/completeness?level=full',
      'GET /v1/alerts',
      'GET /v1/alerts?type=model.trained-on-flagged-slice&since=2026-11-04T12%3A00%3A00Z',
      'GET /v1/dead-letters',
      'GET /v1/dead-letters?reason=bad-signature&topic=provenance.inference.v1&cursor=c&limit=5',
    ]);
    for (const request of server.received) {
      expect(request.headers).toMatchObject({ authorization: 'Bearer prov_key', accept: 'application/json' });
      expect(request.headers['idempotency-key']).toBeUndefined();
      expect(request.body).toBeUndefined();
    }
    await server.close();
  });

  it('asks the gateway for the audit log, its proofs and bundles', async () => {
    const server = await scriptedServer([{ status: 200, body: {} }]);
    const client = new ProvenanceClient({ apiKey: 'auditor_key', gatewayUrl: server.url });
    const eventId = '0190f1a4-8c1e-7b2a-9c3d-4e5f60718299';
    const logId = 'auditlog:provenance.inference.v1.p2';
    await client.audit.logs();
    await client.audit.keys();
    await client.audit.latestCheckpoints();
    await client.audit.checkpoints(logId);
    await client.audit.logEvents(logId, { from: 1000, limit: 500 });
    await client.audit.event(eventId);
    await client.audit.proof(eventId, { treeSize: 7 });
    await client.audit.consistency(logId, 3, 7);
    await client.audit.bundle('pred:req-1');
    await client.audit.bundle('pred:req-1', { level: 'standard', redact: true });
    expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v1/audit/logs',
      'GET /v1/audit/keys',
      'GET /v1/audit/checkpoints/latest',
      'GET /v1/audit/logs/auditlog%3Aprovenance.inference.v1.p2/checkpoints',
      'GET /v1/audit/logs/auditlog%3Aprovenance.inference.v1.p2/events?from=1000&limit=500',
      `GET /v1/audit/events/${eventId}`,
      `GET /v1/audit/events/${eventId}/proof?treeSize=7`,
      'GET /v1/audit/consistency?log=auditlog%3Aprovenance.inference.v1.p2&from=3&to=7',
      'GET /v1/audit/predictions/pred%3Areq-1/bundle',
      'GET /v1/audit/predictions/pred%3Areq-1/bundle?level=standard&redact=true',
    ]);
    await server.close();
  });

  it('returns what the gateway answered', async () => {
    const page = { predictionIds: ['pred:req-1', 'pred:req-2'], nextCursor: null };
    const server = await scriptedServer([{ status: 200, body: page }]);
    const client = new ProvenanceClient({ apiKey: 'k', gatewayUrl: server.url });
    await expect(client.queries.slicePredictions(`slice:sha256:${'a'.repeat(64)}`)).resolves.toEqual(page);
    await server.close();
  });

  it('lists and rebuilds the projector generations', async () => {
    const server = await scriptedServer([
      { status: 200, body: { active: 'g1', live: 'g1', generations: [] } },
      { status: 202, body: { generation: 'g2', status: 'building' } },
      { status: 202, body: { generation: 'audit-q3', asOf: '2026-10-01T00:00:00Z', status: 'building' } },
    ]);
    const client = new ProvenanceClient({ apiKey: 'auditor_key', projectorUrl: server.url });
    await expect(client.generations.list()).resolves.toEqual({ active: 'g1', live: 'g1', generations: [] });
    await expect(client.generations.rebuild()).resolves.toEqual({ generation: 'g2', status: 'building' });
    await expect(client.generations.auditRebuild({ asOf: '2026-10-01T00:00:00Z', name: 'q3' })).resolves.toEqual({
      generation: 'audit-q3',
      asOf: '2026-10-01T00:00:00Z',
      status: 'building',
    });
    expect(server.received.map((r) => [r.method, r.url, r.body])).toEqual([
      ['GET', '/v1/generations', undefined],
      ['POST', '/v1/generations/rebuild', {}],
      ['POST', '/v1/generations/audit', { asOf: '2026-10-01T00:00:00Z', name: 'q3' }],
    ]);
    expect(server.received.every((r) => r.headers.authorization === 'Bearer auditor_key')).toBe(true);
    await server.close();
  });

  it('asks the projector what the log and the views hold', async () => {
    const status = {
      eventLog: { kind: 'file', records: 3, bytesOnDisk: 420, topics: [] },
      store: { kind: 'memory', bytesOnDisk: null, activeGeneration: null },
    };
    const server = await scriptedServer([{ status: 200, body: status }]);
    const client = new ProvenanceClient({ apiKey: 'auditor_key', projectorUrl: server.url });
    await expect(client.status()).resolves.toEqual(status);
    expect(server.received.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['GET', '/v1/status', 'Bearer auditor_key'],
    ]);
    await server.close();
  });

  it('retries a 503 of a GET, backing off', async () => {
    const unavailable = { status: 503, body: { error: { code: 'unavailable', message: 'views down', details: [] } } };
    const server = await scriptedServer([unavailable, { status: 200, body: { alerts: [], truncated: false } }]);
    const delays: number[] = [];
    const client = new ProvenanceClient({
      apiKey: 'k',
      gatewayUrl: server.url,
      retry: { initialDelayMs: 100 },
      sleep: async (ms) => void delays.push(ms),
    });
    await expect(client.queries.alerts()).resolves.toEqual({ alerts: [], truncated: false });
    expect(server.received).toHaveLength(2);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeLessThanOrEqual(100);
    await server.close();
  });

  it('does not retry a 404 of a GET and reports the code and message', async () => {
    const server = await scriptedServer([
      { status: 404, body: { error: { code: 'not_found', message: 'no prediction pred:x is recorded', details: [] } } },
    ]);
    const client = new ProvenanceClient({ apiKey: 'k', gatewayUrl: server.url, sleep: noWait });
    const error = await client.queries.trace('pred:x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvenanceApiError);
    expect(error).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'no prediction pred:x is recorded',
      retriable: false,
    });
    expect(server.received).toHaveLength(1);
    await server.close();
  });

  it('says which service URL is missing', async () => {
    const client = new ProvenanceClient({ apiKey: 'k', trainingUrl: 'http://127.0.0.1:8081' });
    await expect(client.queries.sliceImpact(`slice:sha256:${'a'.repeat(64)}`)).rejects.toThrow(
      'no gatewayUrl was given to the ProvenanceClient',
    );
    await expect(client.generations.list()).rejects.toThrow('no projectorUrl was given to the ProvenanceClient');
  });
});

describe('recording predictions', () => {
  const body = {
    deployment: 'churn-api',
    modelVersionId: 'model:churn@1',
    artifactDigest: `sha256:${'9'.repeat(64)}`,
    predictions: [{ id: 'req-1', at: '2026-11-04T12:00:00Z', inputDigest: `sha256:${'3'.repeat(64)}` }],
  };

  it('answers a batch recorded before as a duplicate of its batch', async () => {
    const answer = { accepted: 0, duplicate: true, duplicates: ['pred:req-1'], batchId: 'batch:x' };
    const server = await scriptedServer([{ status: 200, body: answer }]);
    const client = new ProvenanceClient({ apiKey: 'k', inferenceUrl: server.url });
    await expect(client.predictions.recordBatch(body)).resolves.toEqual(answer);
    await server.close();
  });

  it('throws a conflict naming each prediction recorded before with other content, without retrying', async () => {
    const conflict = {
      path: 'predictions[0]',
      problem: 'pred:req-1 was recorded in batch:x with another modelVersionId',
      predictionId: 'pred:req-1',
      fields: ['modelVersionId'],
      earlierBatchId: 'batch:x',
    };
    const server = await scriptedServer([
      {
        status: 409,
        body: { error: { code: 'conflict', message: '1 prediction(s) contradict', details: [conflict] } },
      },
    ]);
    const client = new ProvenanceClient({ apiKey: 'k', inferenceUrl: server.url, sleep: noWait });
    const error = await client.predictions.recordBatch(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvenanceApiError);
    expect(error).toMatchObject({ status: 409, code: 'conflict', retriable: false, details: [conflict] });
    expect(server.received).toHaveLength(1);
    await server.close();
  });
});

describe('prediction recorder', () => {
  const prediction = (i: number) => ({
    id: `req-${i}`,
    at: '2026-11-04T12:00:00Z',
    inputDigest: `sha256:${'3'.repeat(64)}`,
  });

  it('sends full batches by size, then the rest on flush, in order', async () => {
    const server = await scriptedServer([{ status: 201, body: { accepted: 1, batchId: 'batch:x', duplicates: [] } }]);
    const client = new ProvenanceClient({ apiKey: 'k', inferenceUrl: server.url });
    const recorder = client.predictions.recorder({
      deployment: 'churn-api',
      modelVersionId: 'model:churn@1',
      artifactDigest: `sha256:${'9'.repeat(64)}`,
      maxBatchSize: 1000,
      flushIntervalMs: 60_000,
    });
    for (let i = 0; i < 2500; i++) recorder.record(prediction(i));
    await recorder.close();
    const bodies = server.received.map((r) => r.body as { predictions: Array<{ id: string }> });
    expect(bodies.map((b) => b.predictions.length)).toEqual([1000, 1000, 500]);
    expect(bodies.flatMap((b) => b.predictions.map((p) => p.id))).toEqual(
      Array.from({ length: 2500 }, (_, i) => `req-${i}`),
    );
    expect(server.received[0].url).toBe('/v1/predictions:batch');
    expect(new Set(server.received.map((r) => r.headers['idempotency-key'])).size).toBe(3);
    expect(() => recorder.record(prediction(0))).toThrow(/closed/);
    await server.close();
  });

  it('sends what is waiting after the flush interval', async () => {
    const server = await scriptedServer([{ status: 201, body: { accepted: 2, batchId: 'batch:x', duplicates: [] } }]);
    const client = new ProvenanceClient({ apiKey: 'k', inferenceUrl: server.url });
    const recorder = client.predictions.recorder({
      deployment: 'd',
      modelVersionId: 'model:m@1',
      artifactDigest: `sha256:${'9'.repeat(64)}`,
      flushIntervalMs: 20,
    });
    recorder.record(prediction(1));
    recorder.record(prediction(2));
    for (let i = 0; i < 100 && server.received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.received).toHaveLength(1);
    expect((server.received[0].body as { predictions: unknown[] }).predictions).toHaveLength(2);
    await recorder.close();
    await server.close();
  });

  it('reports a batch it could not send', async () => {
    const server = await scriptedServer([
      { status: 400, body: { error: { code: 'invalid_request', message: 'bad', details: [] } } },
    ]);
    const client = new ProvenanceClient({ apiKey: 'k', inferenceUrl: server.url, sleep: noWait });
    const lost: number[] = [];
    const recorder = client.predictions.recorder({
      deployment: 'd',
      modelVersionId: 'model:m@1',
      artifactDigest: 'x',
      onError: (_e, batch) => lost.push(batch.predictions.length),
    });
    recorder.record(prediction(1));
    await recorder.close();
    expect(lost).toEqual([1]);
    await server.close();
  });
});
