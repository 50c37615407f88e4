import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT, runSetupScript } from './setup-script';

/** Where the browser tests leave their screenshots (git-ignored, kept by CI as artifacts). */
export const ARTIFACTS = resolve(ROOT, '.cache', 'test-artifacts', 'explorer');

/**
 * Debian's Chromium, headless: test/e2e/browser/setup.sh installs it on
 * first use. Throws with the script's output when it cannot: the browser
 * tests never skip.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = runSetupScript('test/e2e/browser/setup.sh', 'the browser tests need Chromium');
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
