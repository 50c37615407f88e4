import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { peakRssOf, PeakMemory, ROOT } from '../processes/service-process';

const run = promisify(execFile);

/**
 * The bench's own servers: deploy/local/infra.sh on ports of their own (so
 * that a CI run or a developer's servers on the usual ports are never
 * touched), FerretDB on PostgreSQL (whose indexes serve equality filters;
 * see deploy/local/postgresql/ferretdb-indexes.sql), data in .cache/bench-infra.
 */
const OWN_INFRA_ENV = {
  PROV_INFRA_HOME: join(ROOT, '.cache', 'bench-infra'),
  PROV_STORE_BACKEND: 'postgresql',
  PROV_KAFKA_PORT: '39092',
  PROV_KAFKA_CONTROLLER_PORT: '39093',
  PROV_STORE_PORT: '37017',
  PROV_POSTGRESQL_PORT: '35433',
  // Empty: the store starts its own PostgreSQL rather than one a caller's environment names.
  PROV_STORE_POSTGRESQL_URL: '',
};

export interface BenchServers {
  kafkaBrokers: string[];
  mongodbUri: string;
  /** `own`: started (and stopped) by the bench; `given`: KAFKA_BROKERS and MONGODB_URI. */
  kind: 'own' | 'given';
  description: string;
  /** Peak memory of the server processes the bench started. */
  peakMemory(): PeakMemory[];
  stop(): Promise<void>;
}

export async function openBenchServers(log: (line: string) => void): Promise<BenchServers> {
  const brokers = process.env['KAFKA_BROKERS'];
  const uri = process.env['MONGODB_URI'];
  if (brokers && uri) {
    return {
      kafkaBrokers: brokers.split(',').map((b) => b.trim()),
      mongodbUri: uri,
      kind: 'given',
      description: `given: KAFKA_BROKERS=${brokers}, MONGODB_URI=${uri}`,
      peakMemory: () => [],
      stop: async () => undefined,
    };
  }
  log('starting the bench servers (deploy/local/infra.sh reset all, then start all)');
  await infra('reset', 'all');
  try {
    await infra('start', 'all');
  } catch (error) {
    await infra('stop', 'all').catch(() => undefined);
    throw error;
  }
  const pidOf = (component: string) => {
    try {
      return Number(readFileSync(join(OWN_INFRA_ENV.PROV_INFRA_HOME, 'run', component, 'pid'), 'utf8').trim());
    } catch {
      return undefined;
    }
  };
  const pids = { kafka: pidOf('kafka'), ferretdb: pidOf('store'), postgresql: pidOf('postgresql') };
  let stopped = false;
  return {
    kafkaBrokers: [`127.0.0.1:${OWN_INFRA_ENV.PROV_KAFKA_PORT}`],
    mongodbUri: `mongodb://127.0.0.1:${OWN_INFRA_ENV.PROV_STORE_PORT}/?directConnection=true`,
    kind: 'own',
    description: `own: deploy/local/infra.sh, Kafka 127.0.0.1:${OWN_INFRA_ENV.PROV_KAFKA_PORT}, FerretDB 127.0.0.1:${OWN_INFRA_ENV.PROV_STORE_PORT} on PostgreSQL 127.0.0.1:${OWN_INFRA_ENV.PROV_POSTGRESQL_PORT}`,
    peakMemory: () =>
      Object.entries(pids).flatMap(([name, pid]) => {
        const peakRssBytes = pid === undefined ? undefined : peakRssOf(pid);
        return pid === undefined || peakRssBytes === undefined
          ? []
          : [{ process: `${name} (server${name === 'postgresql' ? ', postmaster only' : ''})`, pid, peakRssBytes }];
      }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      log('stopping the bench servers (deploy/local/infra.sh stop all)');
      await infra('stop', 'all');
    },
  };
}

async function infra(...args: string[]): Promise<void> {
  try {
    await run('bash', [join(ROOT, 'deploy', 'local', 'infra.sh'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...OWN_INFRA_ENV },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `deploy/local/infra.sh ${args.join(' ')} failed; the bench needs its own Kafka and FerretDB on PostgreSQL ` +
        `(or KAFKA_BROKERS and MONGODB_URI):\n${stdout ?? ''}${stderr ?? (error as Error).message}`,
    );
  }
}
