import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..', '..');

/** Stops and restarts a server under test (the Kafka broker, the store), for fault tests. */
export interface ServerControl {
  stop(): Promise<void>;
  start(): Promise<void>;
}

const SETTINGS = {
  kafka: { what: 'the Kafka broker', component: 'kafka', variable: 'KAFKA', own: 'broker' },
  store: { what: 'the MongoDB-wire store', component: 'store', variable: 'STORE', own: 'store' },
} as const;

/**
 * The project's local servers are controlled through deploy/local/infra.sh;
 * servers of your own through PROV_<KAFKA|STORE>_STOP_COMMAND and
 * PROV_<KAFKA|STORE>_START_COMMAND (shell commands that return once it is
 * down or up). Without either, a fault test cannot run and says so.
 */
export function serverControl(server: keyof typeof SETTINGS, env: NodeJS.ProcessEnv = process.env): ServerControl {
  const { what, component, variable, own } = SETTINGS[server];
  const shell = (command: string) => async () => void (await exec('bash', ['-c', command], { cwd: WORKSPACE_ROOT }));
  const stopCommand = env[`PROV_${variable}_STOP_COMMAND`];
  const startCommand = env[`PROV_${variable}_START_COMMAND`];
  if (stopCommand && startCommand) return { stop: shell(stopCommand), start: shell(startCommand) };
  if (env['PROV_INFRA_SOURCE'] === 'deploy-local') {
    const infra = join(WORKSPACE_ROOT, 'deploy', 'local', 'infra.sh');
    return {
      stop: async () => void (await exec('bash', [infra, 'stop', component], { cwd: WORKSPACE_ROOT })),
      start: async () => void (await exec('bash', [infra, 'start', component], { cwd: WORKSPACE_ROOT })),
    };
  }
  throw new Error(
    `This fault test stops and restarts ${what}. Run it with the project's local servers (leave KAFKA_BROKERS and MONGODB_URI unset), ` +
      `or set PROV_${variable}_STOP_COMMAND and PROV_${variable}_START_COMMAND for your own ${own}.`,
  );
}

/** Stops and restarts the Kafka broker under test. */
export function brokerControl(env: NodeJS.ProcessEnv = process.env): ServerControl {
  return serverControl('kafka', env);
}
