import { KafkaEventLog } from '@prov/event-log';
import { artifactManifestDigest, dataSliceId, datasetVersionId } from '@prov/integrity';
import { integrationEnv, uniqueName } from '@prov/testing';
import { productionEnv, RunningServices } from '@prov/platform-testing';
import fc from 'fast-check';
import { connect, Socket } from 'node:net';
import { concretePath, DocumentedRoute, documentedRoutes, ALL_SERVICES } from './platform/documented-routes';
import { untilGatewayServes } from './platform/gateway-ready';
import {
  IMPOSSIBLE_TIMES,
  INJECTIONS,
  roughValue,
  timestampFields,
  TRAVERSALS,
  typeOf,
  wrongValue,
} from './platform/hostile-values';
import { rawRequest } from './platform/raw-http';
import { StatusTally, writeResults } from './platform/results-file';
import { StoredState, storedState } from './platform/stored-state';

/**
 * Hostile input over HTTP, on every write route the services document
 * (their OpenAPI documents drive the inputs): bodies generated with
 * fast-check from each route's schema, then broken in one field; arbitrary
 * JSON; NoSQL operators in ids, bodies and query strings; path traversal in
 * ids; bodies over the limit and nested 10,000 levels deep; wrong content
 * types; slow-loris connections. Every answer is a 4xx in the API error shape
 * (a 400 names the field), no service falls over, and nothing stored, views
 * or log, changes. Last, user maps with keys stores refuse (`$where`, dotted,
 * `%2E`...) are accepted and read back exactly.
 */
const SERVICES = [...ALL_SERVICES];
const BODY_LIMIT = 1024 * 1024;
const TOPICS = ['training', 'registry', 'inference', 'deadletter', 'audit'].map((t) => `provenance.${t}.v1`);
const SLOW_CONNECTIONS = 200;

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: Array<{ path: string; problem: string }> };
}

describe('hostile input over HTTP', () => {
  const services = new RunningServices();
  const topicPrefix = `${uniqueName('hostile-http')}.`;
  const env: Record<string, string> = {
    ...productionEnv('hostile-http', topicPrefix),
    PROV_MAX_BODY_BYTES: String(BODY_LIMIT),
    // The audit log signs a checkpoint right after the seed record, not on a timer in the middle of the suite.
    PROV_AUDIT_CHECKPOINT_EVERY: '1',
  };
  const { mongodbUri, kafkaBrokers } = integrationEnv();
  let routes: DocumentedRoute[] = [];
  /** Every route but the rebuild: it takes no input at all, and any call to it starts one (a new generation). */
  let probedRoutes: DocumentedRoute[] = [];
  /** The probed routes that write. */
  let writeRoutes: DocumentedRoute[] = [];
  let log: KafkaEventLog;
  let before: StoredState;
  const tallies: Record<string, StatusTally> = {};
  const findings: Record<string, unknown> = {};

  /** The stored state once the projector is idle: two reads a second apart that agree. */
  async function settledState(): Promise<StoredState> {
    const read = () =>
      storedState(
        mongodbUri,
        env['MONGODB_DATABASE'],
        log,
        TOPICS.map((t) => topicPrefix + t),
      );
    let last = await read();
    for (let attempt = 0; attempt < 30; attempt++) {
      await new Promise((r) => setTimeout(r, 1_000));
      const next = await read();
      if (JSON.stringify(next) === JSON.stringify(last)) return next;
      last = next;
    }
    throw new Error('the stored state did not settle within 30 s');
  }

  beforeAll(async () => {
    await services.start(SERVICES, env);
    routes = await documentedRoutes(services, SERVICES);
    probedRoutes = routes.filter((r) => r.path !== '/v1/generations/rebuild');
    writeRoutes = probedRoutes.filter((r) => r.method === 'POST');
    await untilGatewayServes(services);
    log = await KafkaEventLog.connect({ clientId: 'hostile-http-reader', brokers: kafkaBrokers });
    // Something stored beforehand, so that "unchanged" is about records, not an empty store.
    const seeded = await services
      .client('data-steward')
      .datasets.register({ namespace: 'hostile', name: 'seed', owner: 's@example.com' });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const answer = await fetch(`${services.urls['query-gateway']}/v1/lineage/${encodeURIComponent(seeded.id)}`, {
        headers: { authorization: `Bearer ${services.tokens.viewer}` },
      });
      if (answer.status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    before = await settledState();
    expect(
      Object.values(before.endOffsets)
        .flat()
        .some((offset) => offset !== '0'),
    ).toBe(true);
  }, 240_000);

  afterAll(async () => {
    await log?.close();
    await services.stop();
    writeResults('hostile-http', {
      writeRoutes: writeRoutes.length,
      routes: routes.length,
      probedRoutes: probedRoutes.length,
      categories: Object.fromEntries(
        Object.entries(tallies).map(([category, t]) => [
          category,
          { inputs: t.inputs, byStatus: t.byStatus, status5xx: t.count((s) => s >= 500) },
        ]),
      ),
      ...findings,
    });
  });

  const label = (route: DocumentedRoute) => `${route.method} ${route.path}`;
  const url = (route: DocumentedRoute) => services.urls[route.service];

  /**
   * Sends one hostile request and checks what every answer must be: a 4xx
   * (nothing hostile is accepted), in the API error shape. Returns the body.
   */
  async function refused(
    category: string,
    route: DocumentedRoute,
    path: string,
    body: string | undefined,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Promise<{ status: number; body: ErrorBody }> {
    const answer = await rawRequest(
      url(route),
      route.method,
      path,
      {
        authorization: `Bearer ${services.allRolesToken}`,
        ...headers,
      },
      body,
    );
    (tallies[category] ??= new StatusTally()).add(answer.status);
    let parsed: ErrorBody = {};
    try {
      parsed = JSON.parse(answer.body) as ErrorBody;
    } catch {
      parsed = { error: { code: `not JSON: ${answer.body.slice(0, 200)}` } };
    }
    const seen = { category, route: label(route), path: path.slice(0, 300), status: answer.status };
    expect(answer.status >= 400 && answer.status < 500 ? 'a 4xx' : seen).toBe('a 4xx');
    expect({ ...seen, code: typeof parsed.error?.code, message: typeof parsed.error?.message }).toEqual({
      ...seen,
      code: 'string',
      message: 'string',
    });
    return { status: answer.status, body: parsed };
  }

  const placeholder = (route: DocumentedRoute) => concretePath(route, () => 'x');
  const names = (body: ErrorBody, field: string) =>
    (body.error?.details ?? []).some(
      (d) => d.path === field || d.path.startsWith(`${field}.`) || d.path.startsWith(`${field}[`),
    );

  it('documents a body schema for every write route (so the fuzzing below reaches every field)', () => {
    const undocumented = writeRoutes
      .filter((r) => r.path !== '/api/v1/lineage') // the OpenLineage spec's own JSON Schema validates it
      .filter((r) => !r.body || Object.keys(r.body.properties ?? {}).length === 0)
      .map(label);
    expect(undocumented).toEqual([]);
    expect(writeRoutes.length).toBeGreaterThanOrEqual(18);
  });

  it('answers 400 naming the field when a generated body misses a required field or has one of the wrong type', async () => {
    for (const route of writeRoutes.filter((r) => (r.body?.required ?? []).length > 0)) {
      const schema = route.body as NonNullable<DocumentedRoute['body']>;
      const required = schema.required as string[];
      const properties = schema.properties ?? {};
      const broken = fc
        .record({
          base: roughValue(schema, route.resolve) as fc.Arbitrary<Record<string, unknown>>,
          field: fc.constantFrom(...required),
          how: fc.constantFrom('missing', 'wrong type'),
        })
        .chain(({ base, field, how }) =>
          how === 'missing' || typeOf(route.resolve(properties[field] ?? {})) === undefined
            ? fc.constant({ field, body: Object.fromEntries(Object.entries(base).filter(([k]) => k !== field)) })
            : wrongValue(route.resolve(properties[field])).map((value) => ({
                field,
                body: { ...base, [field]: value },
              })),
        );
      await fc.assert(
        fc.asyncProperty(broken, async ({ field, body }) => {
          const answer = await refused('schema-fuzz', route, placeholder(route), JSON.stringify(body));
          expect({ route: label(route), field, status: answer.status, named: names(answer.body, field) }).toEqual({
            route: label(route),
            field,
            status: 400,
            named: true,
          });
        }),
        { numRuns: 30 },
      );
    }
  });

  it('answers 400 naming the field to a time no calendar has, in every date-time field of every write route', async () => {
    const checked: string[] = [];
    for (const route of writeRoutes.filter((r) => r.body)) {
      for (const { path, bodyWith } of timestampFields(
        route.body as NonNullable<DocumentedRoute['body']>,
        route.resolve,
      )) {
        for (const time of IMPOSSIBLE_TIMES) {
          const answer = await refused('impossible-time', route, placeholder(route), JSON.stringify(bodyWith(time)));
          const named = (answer.body.error?.details ?? []).some((d) => d.path === path);
          expect({ route: label(route), path, time, status: answer.status, named }).toEqual({
            route: label(route),
            path,
            time,
            status: 400,
            named: true,
          });
        }
        checked.push(`${label(route)} ${path}`);
      }
    }
    findings['impossibleTimes'] = { fields: checked, times: IMPOSSIBLE_TIMES };
    // The audit rebuild's asOf, the runs' start and end, the predictions' times at least.
    expect(checked.length).toBeGreaterThanOrEqual(4);
  });

  it('answers 400 naming the parameter to a time no calendar has, in every date-time query parameter', async () => {
    const checked: string[] = [];
    for (const route of probedRoutes.filter((r) => r.pathParameters.length === 0)) {
      for (const { name } of route.queryParameters.filter((p) => p.schema.format === 'date-time')) {
        for (const time of IMPOSSIBLE_TIMES) {
          const query = `?${name}=${encodeURIComponent(time)}`;
          const answer = await refused('impossible-time', route, `${placeholder(route)}${query}`, undefined, {});
          const named = (answer.body.error?.details ?? []).some((d) => d.path === name);
          expect({ route: label(route), name, time, status: answer.status, named }).toEqual({
            route: label(route),
            name,
            time,
            status: 400,
            named: true,
          });
        }
        checked.push(`${label(route)} ?${name}`);
      }
    }
    findings['impossibleQueryTimes'] = { parameters: checked, times: IMPOSSIBLE_TIMES };
    // The alerts' `since` at least.
    expect(checked).toContain('GET /v1/alerts ?since');
  });

  it('refuses arbitrary JSON bodies with a 4xx, never a 5xx', async () => {
    for (const route of writeRoutes) {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
          await refused('arbitrary-json', route, placeholder(route), JSON.stringify(value));
        }),
        { numRuns: 25 },
      );
    }
  });

  it('refuses query operators in body fields and unknown $ and dotted keys, naming the field', async () => {
    for (const route of writeRoutes.filter((r) => r.body?.properties)) {
      const fields = Object.entries(route.body?.properties ?? {})
        .filter(([, property]) => typeOf(route.resolve(property)) === 'string')
        .map(([field]) => field);
      for (const field of fields) {
        for (const injection of INJECTIONS) {
          const answer = await refused('nosql-body', route, placeholder(route), JSON.stringify({ [field]: injection }));
          expect({ route: label(route), field, status: answer.status, named: names(answer.body, field) }).toEqual({
            route: label(route),
            field,
            status: 400,
            named: true,
          });
        }
      }
      for (const key of ['$where', '$gt', 'a.b', 'criteria.filter', '$set']) {
        const answer = await refused('nosql-body', route, placeholder(route), JSON.stringify({ [key]: { $gt: '' } }));
        expect({
          route: label(route),
          key,
          named: names(answer.body, `[${JSON.stringify(key)}]`) || names(answer.body, key),
        }).toEqual({
          route: label(route),
          key,
          named: true,
        });
      }
    }
  });

  it('refuses query operators in query strings and in ids, on every route', async () => {
    const queries = [
      'id[$gt]=',
      'left[$ne]=x&right=y',
      'type[$regex]=.*',
      'since[$gt]=',
      'depth[$gt]=0',
      'level[$in][]=full',
      'cursor[$ne]=1',
    ];
    for (const route of probedRoutes) {
      const body = route.method === 'POST' ? '{}' : undefined;
      const headers = { authorization: `Bearer ${services.allRolesToken}`, 'content-type': 'application/json' };
      const plain = await rawRequest(url(route), route.method, placeholder(route), headers, body);
      for (const query of queries) {
        const path = `${placeholder(route)}?${query}`;
        const answer = await rawRequest(url(route), route.method, path, headers, body);
        if (answer.status >= 400) await refused('nosql-query', route, path, body);
        else {
          // A route that takes no query parameters ignores them all: the same answer as without them.
          (tallies['nosql-query'] ??= new StatusTally()).add(answer.status);
          expect({ path, status: answer.status, body: answer.body }).toEqual({
            path,
            status: plain.status,
            body: plain.body,
          });
        }
      }
      if (route.pathParameters.length === 0) continue;
      for (const injection of INJECTIONS) {
        const path = concretePath(route, () => JSON.stringify(injection));
        await refused('nosql-id', route, path, route.method === 'POST' ? '{}' : undefined);
      }
    }
  });

  it('refuses path traversal in ids, raw and encoded, with a 4xx', async () => {
    for (const route of probedRoutes.filter((r) => r.pathParameters.length > 0)) {
      for (const traversal of TRAVERSALS) {
        const raw = route.path.replace(/\{[^}]+\}/g, traversal);
        const encoded = concretePath(route, () => traversal);
        for (const path of [raw, encoded]) {
          const answer = await refused('path-traversal', route, path, route.method === 'POST' ? '{}' : undefined);
          // Never a file's content or another resource: an invalid id (400) or nothing there (404).
          expect({ path, status: [400, 404].includes(answer.status) ? 'refused' : answer.status }).toEqual({
            path,
            status: 'refused',
          });
        }
      }
    }
  });

  it('answers 413 to a body over the limit, on every write route', async () => {
    const oversized = JSON.stringify({ padding: 'x'.repeat(BODY_LIMIT + 1) });
    for (const route of writeRoutes) {
      const answer = await refused('oversized', route, placeholder(route), oversized);
      expect({ route: label(route), status: answer.status }).toEqual({ route: label(route), status: 413 });
    }
    findings['oversizedBytes'] = oversized.length;
  });

  it('answers 400 naming the path to bodies nested 10,000 levels deep, without a stack overflow', async () => {
    const depth = 10_000;
    const shapes = [
      `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      `{"hyperparameters":${'{"x":['.repeat(depth / 2)}0${']}'.repeat(depth / 2)}}`,
    ];
    for (const route of writeRoutes) {
      for (const body of shapes) {
        const answer = await refused('deep-nesting', route, placeholder(route), body);
        expect({
          route: label(route),
          status: answer.status,
          problem: answer.body.error?.details?.[0]?.problem,
        }).toEqual({
          route: label(route),
          status: 400,
          problem: 'nests deeper than 64 levels',
        });
      }
    }
    findings['nestingDepth'] = depth;
  });

  it('refuses bodies that are not JSON, or not declared as JSON, with a 4xx', async () => {
    const bodies: Array<[Record<string, string>, string]> = [
      [{ 'content-type': 'application/json' }, '{"namespace": "a",'],
      [{ 'content-type': 'application/json' }, '\u0000\u0001\u0002'],
      [{ 'content-type': 'application/json' }, '{"__proto__": {"admin": true}}'],
      [{ 'content-type': 'application/json' }, '{"constructor": {"prototype": {"admin": true}}}'],
      [{ 'content-type': 'text/plain' }, '{"namespace":"a"}'],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 'namespace=a&name[$gt]='],
      [{ 'content-type': 'multipart/form-data; boundary=x' }, '--x\r\n\r\na\r\n--x--'],
      [{}, '{"namespace":"a"}'],
    ];
    for (const route of writeRoutes) {
      for (const [headers, body] of bodies) await refused('not-json', route, placeholder(route), body, headers);
    }
  });

  it('cuts off slow-loris connections and keeps serving everyone else meanwhile', async () => {
    const target = new URL(services.urls['training-service']);
    const opened = Date.now();
    const closedAfter: number[] = [];
    const sockets: Socket[] = [];
    const trickles: NodeJS.Timeout[] = [];
    for (let i = 0; i < SLOW_CONNECTIONS; i++) {
      const socket = connect(Number(target.port), target.hostname);
      socket.on('error', () => undefined); // a reset is one way of being cut off
      socket.on('close', () => closedAfter.push(Date.now() - opened));
      socket.once('connect', () => {
        socket.write('POST /v1/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        const header = 'X-Slow: 1\r\n';
        let at = 0;
        // One byte of headers every 500 ms, never ending them.
        trickles.push(setInterval(() => socket.writable && socket.write(header[at++ % header.length]), 500));
      });
      sockets.push(socket);
    }
    try {
      // Meanwhile, honest clients are served promptly.
      const latencies: number[] = [];
      for (let i = 0; i < 20; i++) {
        const start = Date.now();
        const answer = await fetch(`${services.urls['training-service']}/healthz`);
        latencies.push(Date.now() - start);
        expect(answer.status).toBe(200);
        await new Promise((r) => setTimeout(r, 200));
      }
      const deadline = Date.now() + 25_000;
      while (closedAfter.length < SLOW_CONNECTIONS && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
      findings['slowLoris'] = {
        connections: SLOW_CONNECTIONS,
        cutOff: closedAfter.length,
        cutOffWithinMs: Math.max(...closedAfter),
        honestRequests: latencies.length,
        honestMaxLatencyMs: Math.max(...latencies),
      };
      expect(closedAfter.length).toBe(SLOW_CONNECTIONS);
      // The headers timeout (10 s), checked every second, plus scheduling slack on a busy machine.
      expect(Math.max(...closedAfter)).toBeLessThan(16_000);
      expect(Math.max(...latencies)).toBeLessThan(2_000);
    } finally {
      trickles.forEach(clearInterval);
      sockets.forEach((s) => s.destroy());
    }
  }, 60_000);

  it('leaves every service up and healthy, and nothing stored changed (views and log)', async () => {
    for (const service of SERVICES)
      expect({ service, status: (await fetch(`${services.urls[service]}/healthz`)).status }).toEqual({
        service,
        status: 200,
      });
    const after = await settledState();
    findings['storedState'] = {
      collections: Object.keys(before.collections).length,
      documents: Object.values(before.collections).reduce((sum, c) => sum + c.count, 0),
      endOffsets: before.endOffsets,
      unchanged: JSON.stringify(after) === JSON.stringify(before),
    };
    expect(after).toEqual(before);
  });

  it('accepts user maps whose keys stores refuse, and reads them back exactly', async () => {
    const hex = (c: string) => c.repeat(64);
    const hostileKeys = {
      $where: 'sleep(1000)',
      $gt: { $ne: null },
      'a.b.c': 1,
      '%2E': '%',
      '%': 'percent',
      '%a': [1, [2, [3]]],
      '%s': 'not a marker',
      'nul\u0000key': 'nul\u0000value',
      'ü.日本.🙂': -0.5,
      __proto__x: { 'deeper.$key': true },
    };
    const labels = { $where: 'x', 'a.b': 'c', '%2E': '.', $: '$' };
    const metrics = { 'auc.val': 0.9, $loss: 0.1 };
    const parts = [{ path: 'part-0.parquet', sizeBytes: 1, sha256: hex('4') }];
    const dsv = datasetVersionId(parts);
    const criteria = { source: 'web', filter: { 'col.with.dots': ['$gt'] } };
    const slice = dataSliceId(dsv, criteria);
    const steward = services.client('data-steward');
    const engineer = services.client('model-engineer');
    const dataset = await steward.datasets.register({ namespace: 'hostile', name: 'maps', owner: 'o@example.com' });
    await steward.datasets.registerVersion(dataset.id, { parts, source: 's3://lake/hostile/' });
    await steward.slices.define({ datasetVersionId: dsv, criteria, labels });
    const pipeline = await engineer.pipelines.register({
      name: 'hostile',
      version: '1',
      codeDigest: 'git:abc1234',
      steps: [{ name: 'scale', transform: 'StandardScaler', params: { 'with.mean': true, $std: 1 } }],
    });
    const run = await engineer.runs.start({
      pipeline: pipeline.id,
      inputs: [{ sliceId: slice, role: 'train' }],
      hyperparameters: hostileKeys,
      seeds: { 'torch.cuda': 7, $np: 1 },
      codeCommit: 'abc1234',
      environment: { imageDigest: `sha256:${hex('d')}` },
      startedAt: '2026-11-25T08:00:00Z',
    });
    await engineer.runs.complete(run.id, { status: 'succeeded', endedAt: '2026-11-25T09:00:00Z', metrics });
    const files = [{ path: 'model.onnx', sizeBytes: 10, sha256: hex('8') }];
    const model = await engineer.models.registerVersion('hostile', {
      version: '1',
      runId: run.id,
      artifact: { uri: 's3://m/1/', digest: artifactManifestDigest(files), parts: files },
    });

    const deadline = Date.now() + 60_000;
    let lineage: Record<string, unknown> | undefined;
    while (Date.now() < deadline) {
      const answer = await fetch(`${services.urls['query-gateway']}/v1/models/${model.id}/lineage`, {
        headers: { authorization: `Bearer ${services.tokens.auditor}` },
      });
      lineage = answer.status === 200 ? ((await answer.json()) as Record<string, unknown>) : undefined;
      if (lineage && field(lineage, 'metrics') !== undefined && field(lineage, 'labels') !== undefined) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(lineage).toBeDefined();
    expect(field(lineage, 'hyperparameters')).toEqual(hostileKeys);
    expect(field(lineage, 'seeds')).toEqual({ 'torch.cuda': 7, $np: 1 });
    expect(field(lineage, 'metrics')).toEqual(metrics);
    expect(field(lineage, 'labels')).toEqual(labels);
    findings['roundTrip'] = {
      keys: Object.keys(hostileKeys).length + Object.keys(labels).length + Object.keys(metrics).length + 2,
      exact: true,
    };
  }, 120_000);
});

/** The first value of a field of that name, anywhere in the document (depth first). */
function field(document: unknown, name: string): unknown {
  if (document === null || typeof document !== 'object') return undefined;
  if (!Array.isArray(document) && Object.prototype.hasOwnProperty.call(document, name))
    return (document as Record<string, unknown>)[name];
  for (const value of Object.values(document)) {
    const found = field(value, name);
    if (found !== undefined) return found;
  }
  return undefined;
}
