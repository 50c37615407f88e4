import { ApiKeyRecord, ROLES, generateApiKey } from '@prov/auth';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the embedded platform keeps its key for local use (token and record, readable by the owner only). */
export const localApiKeyFile = (dataDirectory: string) => join(dataDirectory, 'local-api-key.json');

export interface LocalApiKey {
  token: string;
  record: ApiKeyRecord;
}

/**
 * The embedded platform's own API key, with every role, made on first start
 * and kept in the data directory: restarts print the same key, and the CLI
 * finds it there, so a newcomer never has to manage keys to try things out.
 */
export function localApiKey(dataDirectory: string): LocalApiKey {
  const file = localApiKeyFile(dataDirectory);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as LocalApiKey;
    if (typeof stored.token !== 'string' || typeof stored.record?.secretHash !== 'string') {
      throw new Error(`${file} is not a local API key ({ token, record }): delete it to have a new one made`);
    }
    return stored;
  }
  const key = generateApiKey('local', [...ROLES]);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
  return key;
}

/** The local key, if the embedded platform has made one in this data directory. */
export function readLocalApiToken(dataDirectory: string): string | undefined {
  const file = localApiKeyFile(dataDirectory);
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalApiKey>).token;
}
