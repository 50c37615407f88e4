import { ROLES, Role } from '@prov/auth';
import { KafkaEventLog } from '@prov/event-log';
import { integrationEnv, readEvents, uniqueName } from '@prov/testing';
import { productionEnv, RunningServices, ServiceName } from '@prov/platform-testing';
import { concretePath, DocumentedRoute, documentedRoutes, ALL_SERVICES } from './platform/documented-routes';
import { untilGatewayServes } from './platform/gateway-ready';
import { StatusTally, writeResults } from './platform/results-file';
import { storedDocumentsText } from './platform/stored-state';

/**
 * Nobody let in: every documented route of every service, called without
 * credentials, with bad ones and with each role, against the access model
 * of DESIGN.md section 6, written out here route by route. A route the
 * services document that this table lacks fails the suite, so no new route
 * escapes it. Then no secret given to the services (API keys, the Kafka and
 * MongoDB passwords) may appear in their logs, their views or their events.
 */
const SERVICES = [...ALL_SERVICES];
const EVERY_ROLE = [...ROLES];

const ACCESS: Record<ServiceName, Record<string, readonly Role[]>> = {
  'training-service': {
    'POST /v1/datasets': ['data-steward'],
    'POST /v1/datasets/{datasetId}/versions': ['data-steward'],
    'POST /v1/datasets/{namespace}/{name}/versions': ['data-steward'],
    'POST /v1/slices': ['data-steward'],
    'POST /v1/slices/{sliceId}/flag': ['data-steward'],
    'POST /api/v1/lineage': ['data-steward'],
    'POST /v1/pipelines': ['model-engineer'],
    'POST /v1/runs': ['model-engineer'],
    'POST /v1/runs/{runId}/complete': ['model-engineer'],
    'POST /v1/evaluations': ['model-engineer'],
  },
  'registry-service': {
    'POST /v1/models/{name}/versions': ['model-engineer'],
    'POST /v1/models/{name}/versions/{version}/revoke': ['model-engineer'],
    'POST /v1/models/{name}/versions/{version}/stage': ['model-engineer'],
    'POST /v1/deployments': ['model-engineer'],
    'POST /v1/deployments/{name}/revisions': ['model-engineer'],
  },
  'inference-service': {
    'POST /v1/predictions:batch': ['ml-service'],
    'POST /v1/subjects/{dataSubject}/erasure': ['data-steward'],
    'POST /v1/key-encryption-keys/rotation': ['data-steward'],
  },
  projector: {
    'GET /v1/generations': ['auditor'],
    'POST /v1/generations/rebuild': ['auditor'],
    'POST /v1/generations/audit': ['auditor'],
    'GET /v1/status': ['auditor'],
  },
  'query-gateway': {
    'GET /v1/predictions/{id}/trace': EVERY_ROLE,
    'GET /v1/predictions/{id}/trace.prov.json': EVERY_ROLE,
    'GET /v1/lineage/{nodeId}': EVERY_ROLE,
    'GET /v1/models/{modelVersionId}/lineage': EVERY_ROLE,
    'GET /v1/models/{modelVersionId}/lineage.prov.json': EVERY_ROLE,
    'GET /v1/models/{modelVersionId}/attestation': EVERY_ROLE,
    'GET /v1/models/{modelVersionId}/completeness': EVERY_ROLE,
    'POST /v1/models/{modelVersionId}/completeness': EVERY_ROLE,
    'GET /v1/attestations/keys': EVERY_ROLE,
    'GET /v1/slices/{id}/impact': EVERY_ROLE,
    'GET /v1/slices/{id}/impact/predictions': EVERY_ROLE,
    'GET /v1/dataset-versions/{id}/impact': EVERY_ROLE,
    'GET /v1/slices/{id}/impact/timeline': EVERY_ROLE,
    'GET /v1/dataset-versions/{id}/impact/timeline': EVERY_ROLE,
    'GET /v1/deployments/{id}': EVERY_ROLE,
    'GET /v1/session': EVERY_ROLE,
    'GET /v1/compare': EVERY_ROLE,
    'GET /v1/alerts': EVERY_ROLE,
    'GET /v1/audit/logs': ['auditor'],
    'GET /v1/audit/keys': ['auditor'],
    'GET /v1/audit/logs/{logId}/events': ['auditor'],
    'GET /v1/audit/events/{eventId}': ['auditor'],
    'GET /v1/audit/predictions/{id}/bundle': ['auditor'],
    'GET /v1/audit/checkpoints/latest': ['auditor'],
    'GET /v1/audit/logs/{logId}/checkpoints': ['auditor'],
    'GET /v1/audit/events/{eventId}/proof': ['auditor'],
    'GET /v1/audit/consistency': ['auditor'],
    'GET /v1/dead-letters': ['auditor'],
  },
};

/** Routes every service serves to anyone (probes, metrics, the API documentation), outside the OpenAPI document. */
const PUBLIC_ROUTES = ['/healthz', '/readyz', '/metrics', '/docs', '/docs/openapi.json'];

// Secrets handed to the services that nothing should ever echo: a Kafka SASL password (no mechanism is set, so
// it is only carried) and a MongoDB password in the URI (FerretDB takes PLAIN credentials without checking them).
const KAFKA_PASSWORD = `kafka-pw-${uniqueName('secret')}`;
const MONGODB_PASSWORD = `mongo-pw-${uniqueName('secret').replace(/[^a-zA-Z0-9]/g, '')}`;

describe('access control: every route, every role', () => {
  const services = new RunningServices();
  const topicPrefix = `${uniqueName('access')}.`;
  const env = productionEnv('access', topicPrefix);
  const { mongodbUri, kafkaBrokers } = integrationEnv();
  let routes: DocumentedRoute[] = [];
  const tally = new StatusTally();
  const cells: Array<{ route: string; credential: string; expected: string; status: number }> = [];

  beforeAll(async () => {
    const credentialed = new URL(mongodbUri);
    credentialed.username = 'provenance';
    credentialed.password = MONGODB_PASSWORD;
    credentialed.searchParams.set('authMechanism', 'PLAIN');
    await services.start(SERVICES, {
      ...env,
      MONGODB_URI: credentialed.toString(),
      KAFKA_SASL_PASSWORD: KAFKA_PASSWORD,
      // Everything the services can say, so the search for secrets below covers the most.
      PROV_LOG_LEVEL: 'trace',
    });
    routes = await documentedRoutes(services, SERVICES);
    await untilGatewayServes(services);
    // One accepted write, so that the search for secrets below covers an event and its views too.
    await services
      .client('data-steward')
      .datasets.register({ namespace: 'access', name: 'events', owner: 'a@example.com' });
  }, 180_000);

  afterAll(async () => {
    await services.stop();
    writeResults('access-control', {
      routes: routes.length,
      credentials: ['none', ...MALFORMED.map((m) => m.name), ...ROLES],
      requests: tally.inputs,
      byStatus: tally.byStatus,
      cells: cells.length,
      publicRoutes: PUBLIC_ROUTES.length * SERVICES.length,
    });
  });

  /** Every stored document, once the projector has folded the record named. */
  async function untilStored(id: string): Promise<string> {
    const deadline = Date.now() + 30_000;
    let stored = '';
    while (Date.now() < deadline) {
      stored = await storedDocumentsText(mongodbUri, env['MONGODB_DATABASE']);
      if (stored.includes(id)) return stored;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${id} was not in the views after 30 s`);
  }

  const call = async (route: DocumentedRoute, authorization?: string) => {
    const url = `${services.urls[route.service]}${concretePath(route, () => 'x')}`;
    const response = await fetch(url, {
      method: route.method,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(route.method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      body: route.method === 'POST' ? '{}' : undefined,
    });
    const body = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
    tally.add(response.status);
    return { status: response.status, code: body?.error?.code };
  };

  /** Credentials that must all be refused with 401. */
  const MALFORMED: Array<{ name: string; header: () => string }> = [
    { name: 'empty bearer', header: () => 'Bearer ' },
    { name: 'basic scheme', header: () => `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    { name: 'not a key', header: () => 'Bearer not-a-key' },
    { name: 'unknown key id', header: () => `Bearer prov_zzzzzzzzzzzz_${'A'.repeat(43)}` },
    {
      name: 'known key id, wrong secret',
      header: () =>
        `Bearer ${services.tokens.auditor.slice(0, -1)}${services.tokens.auditor.endsWith('A') ? 'B' : 'A'}`,
    },
    { name: 'token without scheme', header: () => services.tokens.auditor },
    { name: 'two tokens', header: () => `Bearer ${services.tokens.viewer} ${services.tokens.auditor}` },
  ];

  it('has a row for every route the services document, and documents every row', () => {
    const documented = routes.map((r) => `${r.service} ${r.method} ${r.path}`).sort();
    const tabled = Object.entries(ACCESS)
      .flatMap(([service, rows]) => Object.keys(rows).map((route) => `${service} ${route}`))
      .sort();
    expect(documented).toEqual(tabled);
  });

  it('denies every route without credentials or with bad ones (401, in the API error shape)', async () => {
    for (const route of routes) {
      for (const credential of [{ name: 'none', header: () => undefined as string | undefined }, ...MALFORMED]) {
        const answer = await call(route, credential.header());
        cells.push({
          route: `${route.service} ${route.method} ${route.path}`,
          credential: credential.name,
          expected: '401',
          status: answer.status,
        });
        expect({ route: `${route.method} ${route.path}`, credential: credential.name, ...answer }).toEqual({
          route: `${route.method} ${route.path}`,
          credential: credential.name,
          status: 401,
          code: 'unauthenticated',
        });
      }
    }
  });

  it('answers 403 to each role the route does not allow, and lets each allowed role through', async () => {
    for (const route of routes) {
      const allowed = ACCESS[route.service][`${route.method} ${route.path}`];
      for (const role of ROLES) {
        const answer = await call(route, `Bearer ${services.tokens[role]}`);
        const expected = allowed.includes(role) ? 'allowed' : '403';
        cells.push({
          route: `${route.service} ${route.method} ${route.path}`,
          credential: role,
          expected,
          status: answer.status,
        });
        const seen = { route: `${route.method} ${route.path}`, role, expected, status: answer.status };
        if (expected === '403')
          expect({ ...seen, code: answer.code }).toEqual({ ...seen, status: 403, code: 'forbidden' });
        // Allowed: past the guard, the placeholder ids and empty bodies meet validation or lookup, never a 5xx.
        else expect(seen.status === 401 || seen.status === 403 || seen.status >= 500 ? seen : 'ok').toBe('ok');
      }
    }
  });

  it('serves health, readiness, metrics and the API documentation without credentials', async () => {
    for (const service of SERVICES) {
      for (const path of PUBLIC_ROUTES) {
        const response = await fetch(`${services.urls[service]}${path}`);
        tally.add(response.status);
        expect({ service, path, status: response.status }).toEqual({ service, path, status: 200 });
      }
    }
  });

  it('never writes a secret to the logs, the views or the events', async () => {
    // Something was logged, denials included, or an empty log would pass.
    expect(services.logs()).toMatch(/denied POST \/v1\/datasets \(401\)/);
    const secrets = [
      ...Object.values(services.tokens),
      // The secret part of `prov_<keyId>_<secret>` (the secret itself may hold '_').
      ...Object.values(services.tokens).map((token) => token.slice('prov_'.length + 13)),
      services.allRolesToken,
      KAFKA_PASSWORD,
      MONGODB_PASSWORD,
    ];
    const log = await KafkaEventLog.connect({ clientId: 'access-control-reader', brokers: kafkaBrokers });
    let events = '';
    try {
      for (const topic of ['training', 'registry', 'inference', 'deadletter', 'audit']) {
        events += JSON.stringify(await readEvents(log, `${topicPrefix}provenance.${topic}.v1`));
      }
    } finally {
      await log.close();
    }
    expect(events).toContain('dataset.registered');
    const stored = await untilStored('dataset:access/events');
    for (const [where, text] of [
      ['logs', services.logs()],
      ['views', stored],
      ['events', events],
    ] as const) {
      expect({ where, leaked: secrets.filter((secret) => text.includes(secret)).length }).toEqual({ where, leaked: 0 });
    }
  });
});
