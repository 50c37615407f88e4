import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { EmbeddedPlatform, embeddedPlatformEnv } from './embedded-platform';
import { interopPython } from './interop-python';
import { prov } from './prov-command';
import { ROOT } from './setup-script';

/**
 * The services' OpenAPI documents hold for what they answer, checked with
 * the tool a user would point at them: schemathesis, every check, a fixed
 * seed and example count (test/e2e/schemathesis/schemathesis.toml), over each
 * service of the embedded platform after `prov demo` recorded a scenario.
 * Most of what it generates names nothing recorded, so every read route is
 * also asked about the demo's records, and each answer is validated against
 * the schema its document declares for it.
 */
const SERVICES = {
  'training-service': 'PROV_TRAINING_PORT',
  'registry-service': 'PROV_REGISTRY_PORT',
  'inference-service': 'PROV_INFERENCE_PORT',
  projector: 'PROV_PROJECTOR_PORT',
  'query-gateway': 'PROV_GATEWAY_PORT',
} as const;
const CONFIG = resolve(ROOT, 'test', 'e2e', 'schemathesis', 'schemathesis.toml');

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
  components: { schemas: Record<string, object> };
}

interface DemoAnswer {
  scenario: {
    datasetVersions: { october: string };
    flaggedSlice: string;
    modelVersions: { first: string; second: string };
    predictionAfterRevision: string;
  };
  traceAfterRevision: { prediction: { deploymentId: string } };
}

/** Runs `command` in `cwd` (schemathesis keeps what it replays there, in `.schemathesis`). */
function run(command: string, args: string[], cwd: string) {
  return new Promise<{ code: number; output: string }>((done) => {
    execFile(
      command,
      args,
      { cwd, env: process.env, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

describe('the OpenAPI documents hold for what the services answer', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let platform: EmbeddedPlatform;
  let key: string;
  let demo: DemoAnswer;
  let schemathesis: string;

  const url = (service: keyof typeof SERVICES) => platform.url(SERVICES[service]);
  const get = async (service: keyof typeof SERVICES, path: string) => {
    const answer = await fetch(`${url(service)}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: answer.status, body: (await answer.json()) as unknown };
  };

  beforeAll(async () => {
    schemathesis = join(dirname(interopPython()), 'st');
    dataDir = await mkdtemp(join(tmpdir(), 'prov-openapi-'));
    env = await embeddedPlatformEnv(dataDir);
    // Audit checkpoints every second, so that proofs and bundles of the demo's records are at hand.
    env['PROV_AUDIT_CHECKPOINT_SECONDS'] = '1';
    platform = new EmbeddedPlatform(env);
    await platform.start();
    key = (JSON.parse(await readFile(join(dataDir, 'local-api-key.json'), 'utf8')) as { token: string }).token;
    const recorded = await prov(['demo', '--json'], env);
    if (recorded.code !== 0) throw new Error(`prov demo exited ${recorded.code}:\n${recorded.stderr}`);
    demo = JSON.parse(recorded.stdout) as DemoAnswer;
  }, 900_000);

  afterAll(async () => {
    await platform?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(Object.keys(SERVICES) as Array<keyof typeof SERVICES>)(
    'schemathesis finds no failure on the %s',
    async (service) => {
      const result = await run(
        schemathesis,
        [
          '--config-file',
          CONFIG,
          'run',
          `${url(service)}/docs/openapi.json`,
          '--checks',
          'all',
          '--header',
          `Authorization: Bearer ${key}`,
          '--no-color',
        ],
        dataDir,
      );
      const summary = result.output.slice(result.output.lastIndexOf('SUMMARY'));
      if (result.code !== 0) {
        // The report's sections, not the progress lines before them.
        const report = result.output.search(/={3,} (FAILURES|ERRORS|WARNINGS|SUMMARY) ={3,}/);
        throw new Error(
          `schemathesis exited ${result.code} on the ${service}:\n${result.output.slice(report >= 0 ? report : -20_000)}`,
        );
      }
      // It tested every operation the document declares, and generated cases for them.
      expect(summary).toMatch(/Tested: \d+/);
      expect(summary).not.toMatch(/❌/);
    },
    600_000,
  );

  it('answers every read route about the demo records as its document declares', async () => {
    const { scenario } = demo;
    const prediction = encodeURIComponent(scenario.predictionAfterRevision);
    const model = encodeURIComponent(scenario.modelVersions.first);
    const slice = encodeURIComponent(scenario.flaggedSlice);
    const datasetVersion = encodeURIComponent(scenario.datasetVersions.october);
    const deployment = encodeURIComponent(demo.traceAfterRevision.prediction.deploymentId);
    // The prediction's chain is covered by a signed checkpoint within seconds.
    const deadline = Date.now() + 60_000;
    let bundle = await get('query-gateway', `/v1/audit/predictions/${prediction}/bundle`);
    while (bundle.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      bundle = await get('query-gateway', `/v1/audit/predictions/${prediction}/bundle`);
    }
    const { logs } = (await get('query-gateway', '/v1/audit/logs')).body as {
      logs: Array<{ logId: string; treeSize: number }>;
    };
    const log = logs.find((l) => l.treeSize > 1) ?? logs[0];
    const { events } = (await get('query-gateway', `/v1/audit/logs/${encodeURIComponent(log.logId)}/events`)).body as {
      events: Array<{ event: { eventId: string } }>;
    };
    const eventId = events[0].event.eventId;
    const { checkpoints } = (await get('query-gateway', `/v1/audit/logs/${encodeURIComponent(log.logId)}/checkpoints`))
      .body as { checkpoints: Array<{ treeSize: number }> };
    const sizes = checkpoints.map((c) => c.treeSize);

    const reads: Array<[keyof typeof SERVICES, string, string]> = [
      ['query-gateway', '/v1/predictions/{id}/trace', `/v1/predictions/${prediction}/trace`],
      ['query-gateway', '/v1/predictions/{id}/trace.prov.json', `/v1/predictions/${prediction}/trace.prov.json`],
      ['query-gateway', '/v1/lineage/{nodeId}', `/v1/lineage/${model}`],
      ['query-gateway', '/v1/models/{modelVersionId}/lineage', `/v1/models/${model}/lineage`],
      ['query-gateway', '/v1/models/{modelVersionId}/lineage.prov.json', `/v1/models/${model}/lineage.prov.json`],
      ['query-gateway', '/v1/models/{modelVersionId}/attestation', `/v1/models/${model}/attestation`],
      ['query-gateway', '/v1/models/{modelVersionId}/completeness', `/v1/models/${model}/completeness?level=full`],
      ['query-gateway', '/v1/attestations/keys', '/v1/attestations/keys'],
      ['query-gateway', '/v1/slices/{id}/impact', `/v1/slices/${slice}/impact`],
      ['query-gateway', '/v1/slices/{id}/impact/predictions', `/v1/slices/${slice}/impact/predictions?limit=5`],
      ['query-gateway', '/v1/slices/{id}/impact/timeline', `/v1/slices/${slice}/impact/timeline?bucket=hour`],
      ['query-gateway', '/v1/dataset-versions/{id}/impact', `/v1/dataset-versions/${datasetVersion}/impact`],
      [
        'query-gateway',
        '/v1/dataset-versions/{id}/impact/timeline',
        `/v1/dataset-versions/${datasetVersion}/impact/timeline`,
      ],
      [
        'query-gateway',
        '/v1/compare',
        `/v1/compare?left=${model}&right=${encodeURIComponent(scenario.modelVersions.second)}`,
      ],
      ['query-gateway', '/v1/deployments/{id}', `/v1/deployments/${deployment}`],
      ['query-gateway', '/v1/alerts', '/v1/alerts'],
      ['query-gateway', '/v1/audit/logs', '/v1/audit/logs'],
      ['query-gateway', '/v1/audit/keys', '/v1/audit/keys'],
      ['query-gateway', '/v1/audit/logs/{logId}/events', `/v1/audit/logs/${encodeURIComponent(log.logId)}/events`],
      ['query-gateway', '/v1/audit/events/{eventId}', `/v1/audit/events/${eventId}`],
      ['query-gateway', '/v1/audit/events/{eventId}/proof', `/v1/audit/events/${eventId}/proof`],
      ['query-gateway', '/v1/audit/predictions/{id}/bundle', `/v1/audit/predictions/${prediction}/bundle`],
      ['query-gateway', '/v1/audit/checkpoints/latest', '/v1/audit/checkpoints/latest'],
      [
        'query-gateway',
        '/v1/audit/logs/{logId}/checkpoints',
        `/v1/audit/logs/${encodeURIComponent(log.logId)}/checkpoints`,
      ],
      [
        'query-gateway',
        '/v1/audit/consistency',
        `/v1/audit/consistency?log=${encodeURIComponent(log.logId)}&from=${Math.min(...sizes)}&to=${Math.max(...sizes)}`,
      ],
      ['query-gateway', '/v1/dead-letters', '/v1/dead-letters?limit=5'],
      ['query-gateway', '/v1/session', '/v1/session'],
      ['projector', '/v1/generations', '/v1/generations'],
      ['projector', '/v1/status', '/v1/status'],
    ];

    const documents = new Map<string, OpenApiDocument>();
    const answered: string[] = [];
    for (const [service, template, path] of reads) {
      let document = documents.get(service);
      if (!document) {
        document = (await get(service, '/docs/openapi.json')).body as OpenApiDocument;
        documents.set(service, document);
      }
      const declared = document.paths[template]?.['get']?.responses['200']?.content?.['application/json']?.schema;
      expect({ template, declared: declared !== undefined }).toEqual({ template, declared: true });
      // The document's components under one id, and the declared schema's references pointing there.
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      ajv.addSchema({ $id: 'openapi', components: document.components });
      const validate = ajv.compile(
        JSON.parse(JSON.stringify(declared).replaceAll('"#/components/', '"openapi#/components/')),
      );
      const answer = await get(service, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      const valid = validate(answer.body);
      expect({ path, errors: valid ? [] : (validate.errors ?? []).slice(0, 5) }).toEqual({ path, errors: [] });
      answered.push(template);
    }
    // Every read route of the two services is among them.
    const documented = [...documents.entries()].flatMap(([, d]) =>
      Object.entries(d.paths).flatMap(([p, operations]) => ('get' in operations ? [p] : [])),
    );
    expect(documented.filter((p) => !answered.includes(p))).toEqual([]);
  }, 180_000);
});
