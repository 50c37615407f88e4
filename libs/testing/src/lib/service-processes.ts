import { generateApiKey, Role } from '@prov/auth';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';
import { integrationEnv } from './integration-env';
import { uniqueName } from './unique-names';

const ROOT = resolve(__dirname, '..', '..', '..', '..');

export type ServiceName = 'training-service' | 'registry-service' | 'inference-service' | 'projector' | 'query-gateway';
const PORT_VARIABLE: Record<ServiceName, string> = {
  'training-service': 'PROV_TRAINING_PORT',
  'registry-service': 'PROV_REGISTRY_PORT',
  'inference-service': 'PROV_INFERENCE_PORT',
  projector: 'PROV_PROJECTOR_PORT',
  'query-gateway': 'PROV_GATEWAY_PORT',
};

/**
 * The settings of services on real Kafka (under a topic prefix of their own)
 * and the MongoDB-wire store (in a database of their own, named after `name`).
 */
export function productionEnv(name: string, topicPrefix: string): Record<string, string> {
  const { kafkaBrokers, mongodbUri } = integrationEnv();
  return {
    PROV_EVENT_LOG: 'kafka',
    KAFKA_BROKERS: kafkaBrokers.join(','),
    PROV_TOPIC_PREFIX: topicPrefix,
    PROV_STORE: 'mongodb',
    MONGODB_URI: mongodbUri,
    MONGODB_DATABASE: uniqueName(name).replace(/[^a-zA-Z0-9_-]/g, '_'),
    PROV_PROJECTOR_POLL_MS: '200',
  };
}

/** The platform's services as separate processes, as in production: their own main.ts, real Kafka, API keys. */
export class ServiceProcesses {
  readonly urls = {} as Record<ServiceName, string>;
  readonly tokens = {} as Record<Role, string>;
  /** A key with every role, as an operator's command line would hold. */
  allRolesToken = '';
  private readonly processes = new Map<ServiceName, ChildProcess>();
  private readonly spawners = new Map<ServiceName, () => ChildProcess>();
  private readonly output: string[] = [];
  private readonly outputs = new Map<ServiceName, string>();
  private dataDir = '';
  private ownDataDir = true;

  /**
   * Starts the services and waits until each is ready. Their data directory
   * (signing keys; the embedded log with PROV_EVENT_LOG=file) is `dataDir`, or
   * a temporary one removed at stop.
   */
  async start(names: ServiceName[], env: Record<string, string>, dataDir?: string): Promise<void> {
    this.ownDataDir = dataDir === undefined;
    this.dataDir = dataDir ?? (await mkdtemp(join(tmpdir(), 'e2e-services-')));
    const roles: Role[] = ['data-steward', 'model-engineer', 'ml-service', 'auditor', 'viewer'];
    const keys = roles.map((role) => ({ role, ...generateApiKey(`e2e-${role}`, [role]) }));
    for (const key of keys) this.tokens[key.role] = key.token;
    const operator = generateApiKey('e2e-operator', roles);
    this.allRolesToken = operator.token;
    // The registry's own key at the gateway, where it checks promotions against the policies.
    const registryKey = generateApiKey('e2e-registry-service', ['viewer']);
    const records = [...keys.map((k) => k.record), operator.record, registryKey.record];
    const ports = new Map<ServiceName, number>();
    for (const name of names) ports.set(name, await freePort());
    const gatewayPort = ports.get('query-gateway');
    for (const name of names) {
      const port = ports.get(name) as number;
      const spawnService = () => {
        const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${name}/src/main.ts`], {
          cwd: ROOT,
          env: {
            ...process.env,
            ...env,
            SWC_NODE_PROJECT: `apps/${name}/tsconfig.json`,
            PROV_DATA_DIR: this.dataDir,
            PROV_API_KEYS: JSON.stringify({ keys: records }),
            PROV_LOG_LEVEL: 'warn',
            ...(gatewayPort === undefined ? {} : { PROV_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}` }),
            PROV_GATEWAY_API_KEY: registryKey.token,
            [PORT_VARIABLE[name]]: String(port),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const record = (d: Buffer) => {
          this.output.push(`[${name}] ${d}`);
          this.outputs.set(name, `${this.outputs.get(name) ?? ''}${d}`);
        };
        child.stdout?.on('data', record);
        child.stderr?.on('data', record);
        this.processes.set(name, child);
        return child;
      };
      this.spawners.set(name, spawnService);
      spawnService();
      this.urls[name] = `http://127.0.0.1:${port}`;
    }
    await Promise.all(names.map((name) => this.waitReady(name)));
  }

  /** SIGKILLs a service (no clean shutdown at all) and starts it again on the same port. */
  async killAndRestart(name: ServiceName): Promise<void> {
    const child = this.processes.get(name);
    if (!child) throw new Error(`${name} was not started`);
    await new Promise((done) => {
      child.once('exit', done);
      child.kill('SIGKILL');
    });
    this.spawners.get(name)?.();
    await this.waitReady(name);
  }

  /** The operating-system process id of a running service (it changes when the service is restarted). */
  pid(name: ServiceName): number {
    const pid = this.processes.get(name)?.pid;
    if (pid === undefined) throw new Error(`${name} was not started`);
    return pid;
  }

  /** Everything the services wrote to stdout and stderr so far, each line prefixed with the service's name. */
  logs(): string {
    return this.output.join('');
  }

  /** The lines one service wrote to stdout and stderr, since it was first started. */
  lines(name: ServiceName): string[] {
    return (this.outputs.get(name) ?? '').split('\n').filter((line) => line !== '');
  }

  /** The PEM public key a service signs with (it generated its key into the data directory). */
  async signingKeyPem(name: ServiceName): Promise<string> {
    return readFile(join(this.dataDir, 'keys', `${name}.pem`), 'utf8');
  }

  /** SIGTERMs every service and waits until each has exited; their exit codes (null: ended by a signal). */
  async stop(): Promise<Partial<Record<ServiceName, number | null>>> {
    const children = [...this.processes.entries()];
    for (const [, child] of children) child.kill('SIGTERM');
    const codes = await Promise.all(
      children.map(
        ([name, child]) =>
          new Promise<[ServiceName, number | null]>((done) =>
            child.exitCode !== null ? done([name, child.exitCode]) : child.once('exit', (code) => done([name, code])),
          ),
      ),
    );
    if (this.ownDataDir) await rm(this.dataDir, { recursive: true, force: true });
    return Object.fromEntries(codes);
  }

  private async waitReady(name: ServiceName): Promise<void> {
    const child = this.processes.get(name);
    if (!child) throw new Error(`${name} was not started`);
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`${name} exited with code ${child.exitCode}:\n${this.output.join('')}`);
      const ready = await fetch(`${this.urls[name]}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${name} did not become ready within 90 s:\n${this.output.join('')}`);
  }
}
