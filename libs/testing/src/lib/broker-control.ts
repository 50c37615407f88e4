import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..', '..');

/** Stops and restarts the Kafka broker under test, for fault tests. */
export interface BrokerControl {
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * The project's local broker is controlled through deploy/local/infra.sh;
 * a broker of your own through PROV_KAFKA_STOP_COMMAND and
 * PROV_KAFKA_START_COMMAND (shell commands that return once it is down or up).
 * Without either, a fault test cannot run and says so.
 */
export function brokerControl(env: NodeJS.ProcessEnv = process.env): BrokerControl {
  const shell = (command: string) => async () => void (await exec('bash', ['-c', command], { cwd: WORKSPACE_ROOT }));
  if (env['PROV_KAFKA_STOP_COMMAND'] && env['PROV_KAFKA_START_COMMAND']) {
    return { stop: shell(env['PROV_KAFKA_STOP_COMMAND']), start: shell(env['PROV_KAFKA_START_COMMAND']) };
  }
  if (env['PROV_INFRA_SOURCE'] === 'deploy-local') {
    const infra = join(WORKSPACE_ROOT, 'deploy', 'local', 'infra.sh');
    return {
      stop: async () => void (await exec('bash', [infra, 'stop', 'kafka'], { cwd: WORKSPACE_ROOT })),
      start: async () => void (await exec('bash', [infra, 'start', 'kafka'], { cwd: WORKSPACE_ROOT })),
    };
  }
  throw new Error(
    "This fault test stops and restarts the Kafka broker. Run it with the project's local servers (leave KAFKA_BROKERS unset), " +
      'or set PROV_KAFKA_STOP_COMMAND and PROV_KAFKA_START_COMMAND for your own broker.',
  );
}
