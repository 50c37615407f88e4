import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Runs one of the suites' setup scripts (which install what a test needs on
 * first use) and returns the last line it prints, a path. Throws with the
 * script's output when it fails: the tests that need it never skip.
 */
export function runSetupScript(script: string, needs: string): string {
  try {
    return execFileSync('bash', [resolve(ROOT, script)], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 900_000,
    })
      .trim()
      .split('\n')
      .pop() as string;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`${needs}: ${stderr || message}`);
  }
}
