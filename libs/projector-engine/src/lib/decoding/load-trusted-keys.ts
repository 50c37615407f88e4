import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ProjectorConfig } from '../projector.config';
import { TrustedKeys } from './trusted-keys';

/**
 * The producer keys the projector trusts: PROV_TRUSTED_KEYS(_FILE) when set,
 * else every `<service>.pem` in the data directory's `keys/` (where the
 * embedded mode's services keep theirs), the projector's own included.
 */
export function loadTrustedKeys(config: ProjectorConfig): TrustedKeys {
  const json = config.PROV_TRUSTED_KEYS_FILE
    ? readFileSync(config.PROV_TRUSTED_KEYS_FILE, 'utf8')
    : config.PROV_TRUSTED_KEYS;
  if (json !== undefined) {
    const source = config.PROV_TRUSTED_KEYS_FILE ?? 'PROV_TRUSTED_KEYS';
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new Error(`${source} is not JSON: ${(error as Error).message}`);
    }
    const keys = (parsed as { keys?: unknown })?.keys;
    if (!Array.isArray(keys) || !keys.every((k) => typeof k?.service === 'string' && typeof k?.pem === 'string')) {
      throw new Error(`${source} must be { "keys": [{ "service": "<name>", "pem": "<PEM>" }] }`);
    }
    return TrustedKeys.fromPem(keys as Array<{ service: string; pem: string }>);
  }
  const directory = join(config.PROV_DATA_DIR, 'keys');
  const read = () =>
    (existsSync(directory) ? readdirSync(directory).filter((f) => f.endsWith('.pem')) : []).map((file) => ({
      service: basename(file, '.pem'),
      pem: readFileSync(join(directory, file), 'utf8'),
    }));
  return TrustedKeys.fromPem(read(), read);
}
