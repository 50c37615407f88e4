import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..', '..');
const INFRA_SCRIPT = join(WORKSPACE_ROOT, 'deploy', 'local', 'infra.sh');
/** The cluster sits beside the integration run's single broker: its ports plus this. */
const PORT_OFFSET = 100;

/**
 * The project's local 3-broker Kafka cluster (`PROV_KAFKA_BROKERS=3
 * deploy/local/infra.sh`: KRaft, every node a broker and a controller,
 * replication factor 3, min.insync.replicas 2), for tests that lose a broker.
 * It shares the infra home of the integration run's single broker, on that
 * broker's ports plus 100 (9192/9193, 9194/9195 and 9196/9197 by default; CI's
 * 19092/19093 give 19192 and on). When the run's own servers are the cluster
 * (`PROV_KAFKA_BROKERS=3 npm test`), it is that one, and it stays up for the
 * suites after. Broker N is Kafka node N.
 */
export class LocalKafkaCluster {
  private constructor(
    readonly brokers: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly sharedWithRun: boolean,
  ) {}

  /** Starts the cluster (or finds it running) and waits until every broker serves; rejects, saying why, if it cannot. */
  static async start(env: NodeJS.ProcessEnv = process.env): Promise<LocalKafkaCluster> {
    const sharedWithRun = env['PROV_KAFKA_BROKERS'] === '3';
    const offset = sharedWithRun ? 0 : PORT_OFFSET;
    const port = Number(env['PROV_KAFKA_PORT'] ?? 9092) + offset;
    const controllerPort = Number(env['PROV_KAFKA_CONTROLLER_PORT'] ?? 9093) + offset;
    const clusterEnv = {
      ...env,
      PROV_KAFKA_BROKERS: '3',
      PROV_KAFKA_PORT: String(port),
      PROV_KAFKA_CONTROLLER_PORT: String(controllerPort),
    };
    await infra(clusterEnv, 'start', 'kafka');
    const { stdout } = await infra(clusterEnv, 'env');
    const brokers = stdout.match(/^KAFKA_BROKERS=(.+)$/m)?.[1];
    if (!brokers) throw new Error(`deploy/local/infra.sh env printed no KAFKA_BROKERS for the cluster:\n${stdout}`);
    return new LocalKafkaCluster(brokers.split(','), clusterEnv, sharedWithRun);
  }

  /** SIGKILLs broker `node` (1-3): no shutdown at all, as a crash or a lost machine would. */
  async kill(node: number): Promise<void> {
    await infra(this.env, 'kill-broker', String(node));
  }

  /** Starts broker `node` again; resolves once it serves and the controllers have taken it back. */
  async restart(node: number): Promise<void> {
    await infra(this.env, 'start-broker', String(node));
  }

  /** Stops every broker cleanly (three JVMs are too much to leave running on a small machine), unless the run shares it. */
  async stop(): Promise<void> {
    if (!this.sharedWithRun) await infra(this.env, 'stop', 'kafka');
  }
}

async function infra(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec('bash', [INFRA_SCRIPT, ...args], { cwd: WORKSPACE_ROOT, env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`deploy/local/infra.sh ${args.join(' ')} failed for the 3-broker cluster:\n${stdout}\n${stderr}`);
  }
}
