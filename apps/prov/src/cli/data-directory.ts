import { resolve } from 'node:path';

/**
 * The embedded platform's data directory: --data-dir, PROV_DATA_DIR, or
 * `.provenance` at the repository's root, so that `npm start` and `npx prov`
 * run from any folder of the checkout agree on it.
 */
export function defaultDataDirectory(given: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(given ?? env['PROV_DATA_DIR'] ?? resolve(__dirname, '..', '..', '..', '..', '.provenance'));
}
