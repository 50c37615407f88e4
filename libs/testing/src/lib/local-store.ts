import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const INFRA = join(ROOT, 'deploy', 'local', 'infra.sh');
const run = promisify(execFile);

/** `deploy/local/infra.sh <args>` with `env` (its ports and home); its output, or an error with its output when it fails. */
export async function localInfra(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run('bash', [INFRA, ...args], { env, timeout: 600_000, maxBuffer: 16 * 2 ** 20 });
    return stdout;
  } catch (error) {
    const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`deploy/local/infra.sh ${args.join(' ')} failed: ${message}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/**
 * `deploy/local/infra.sh <command> store` with `env` (its ports and home,
 * `PROV_INFRA_HOME`): a store of a test's own, whose files it may look at;
 * throws with the script's output when it fails.
 */
export async function storeInfra(command: 'start' | 'stop' | 'reset', env: NodeJS.ProcessEnv): Promise<void> {
  await localInfra([command, 'store'], env);
}
