import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * Where integration and end-to-end tests find a real Kafka broker and a real
 * MongoDB-wire store, in this order:
 * 1. `KAFKA_BROKERS` and `MONGODB_URI` when set (servers of the user's own);
 * 2. Testcontainers, when a Docker engine answers;
 * 3. the project's own local servers (deploy/local: Kafka from Maven
 *    Central, FerretDB built from its Go module), started if not running.
 * No path skips: when none works, the run fails and says why.
 */
export interface Infrastructure {
  kafkaBrokers: string[];
  mongodbUri: string;
  source: 'environment' | 'testcontainers' | 'deploy-local';
  /** Stops what this run started (nothing for servers it found running). */
  stop(): Promise<void>;
}

const exec = promisify(execFile);
const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..', '..');
const INFRA_SCRIPT = join(WORKSPACE_ROOT, 'deploy', 'local', 'infra.sh');

export async function provideInfrastructure(env: NodeJS.ProcessEnv = process.env): Promise<Infrastructure> {
  const brokers = env['KAFKA_BROKERS'];
  const mongodbUri = env['MONGODB_URI'];
  if (brokers || mongodbUri) {
    if (!brokers || !mongodbUri) {
      throw new Error('Set both KAFKA_BROKERS and MONGODB_URI to use your own servers (only one of them is set).');
    }
    return { kafkaBrokers: brokers.split(','), mongodbUri, source: 'environment', stop: async () => undefined };
  }
  if (await dockerEngineAnswers(env)) return startTestcontainers();
  return startLocalServers();
}

/** Probes the engine itself: a `docker` CLI without an engine behind it is common. */
export async function dockerEngineAnswers(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const host = env['DOCKER_HOST'];
  const socketPath = host?.startsWith('unix://')
    ? host.slice('unix://'.length)
    : host
      ? undefined
      : '/var/run/docker.sock';
  if (host && !socketPath) return true; // tcp:// engines: let Testcontainers connect and report
  if (!socketPath || !existsSync(socketPath)) return false;
  return new Promise((resolvePing) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolvePing(res.statusCode === 200);
    });
    req.on('error', () => resolvePing(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function startTestcontainers(): Promise<Infrastructure> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const [kafka, mongo] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.0')
      .withKraft()
      // As deploy/local: a batch of 10,000 predictions is larger than the 1 MB default.
      .withEnvironment({ KAFKA_MESSAGE_MAX_BYTES: '33554432', KAFKA_REPLICA_FETCH_MAX_BYTES: '33554432' })
      .start(),
    new MongoDBContainer('mongo:8.0').start(),
  ]);
  return {
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    mongodbUri: `${mongo.getConnectionString()}/?directConnection=true`,
    source: 'testcontainers',
    stop: async () => {
      await Promise.all([kafka.stop(), mongo.stop()]);
    },
  };
}

async function startLocalServers(): Promise<Infrastructure> {
  try {
    await exec('bash', [INFRA_SCRIPT, 'start', 'all'], { cwd: WORKSPACE_ROOT, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `Could not start the local Kafka broker and store with deploy/local/infra.sh.\n${stdout}\n${stderr}\n` +
        'Set KAFKA_BROKERS and MONGODB_URI to use servers of your own instead.',
    );
  }
  const { stdout } = await exec('bash', [INFRA_SCRIPT, 'env'], { cwd: WORKSPACE_ROOT });
  const vars = Object.fromEntries(
    stdout
      .split('\n')
      .map((line) => line.trim().match(/^(?:export\s+)?([A-Z_]+)=(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => [m[1], m[2].replace(/^['"]|['"]$/g, '')]),
  );
  if (!vars['KAFKA_BROKERS'] || !vars['MONGODB_URI']) {
    throw new Error(`deploy/local/infra.sh env printed no KAFKA_BROKERS/MONGODB_URI:\n${stdout}`);
  }
  // Servers stay up after the run (a second run reuses them); `deploy/local/infra.sh stop` ends them.
  return {
    kafkaBrokers: vars['KAFKA_BROKERS'].split(','),
    mongodbUri: vars['MONGODB_URI'],
    source: 'deploy-local',
    stop: async () => undefined,
  };
}
