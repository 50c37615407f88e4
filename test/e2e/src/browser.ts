import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Where the browser tests leave their screenshots (git-ignored, kept by CI as artifacts). */
export const ARTIFACTS = resolve(ROOT, '.cache', 'test-artifacts', 'explorer');

/**
 * Debian's Chromium, headless: test/e2e/browser/setup.sh installs it on
 * first use. Throws with the script's output when it cannot: the browser
 * tests never skip.
 */
export async function launchChromium(): Promise<Browser> {
  let executablePath: string;
  try {
    executablePath = execFileSync('bash', [resolve(ROOT, 'test', 'e2e', 'browser', 'setup.sh')], {
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
    throw new Error(`the browser tests need Chromium: ${stderr || message}`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
