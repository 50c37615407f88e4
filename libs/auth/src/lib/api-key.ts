import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Principal, Role, isRole } from './roles';

/**
 * API keys look like `prov_<keyId>_<secret>`. Only the SHA-256 of the secret
 * is stored: the secret is 256 random bits, so a fast hash is as safe as a
 * slow KDF here, and verifying stays cheap on every request.
 */
export interface ApiKeyRecord {
  keyId: string;
  principal: string;
  roles: Role[];
  /** `sha256:<hex>` of the secret part. */
  secretHash: string;
}

const TOKEN = /^prov_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const HASH = /^sha256:[0-9a-f]{64}$/;

export class InvalidApiKeyConfigError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidApiKeyConfigError';
  }
}

const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

export function generateApiKey(principal: string, roles: Role[]): { token: string; record: ApiKeyRecord } {
  const keyId = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  return {
    token: `prov_${keyId}_${secret}`,
    record: { keyId, principal, roles, secretHash: `sha256:${hashSecret(secret).toString('hex')}` },
  };
}

/** Checks API keys against their stored hashes, in time independent of where a wrong key differs. */
export class ApiKeyVerifier {
  private readonly byKeyId: Map<string, { record: ApiKeyRecord; hash: Buffer }>;
  // Compared against when the key id is unknown, so that timing does not tell known ids apart.
  private readonly decoy = hashSecret(randomBytes(32).toString('base64url'));

  constructor(records: readonly ApiKeyRecord[]) {
    this.byKeyId = new Map();
    for (const record of records) {
      if (this.byKeyId.has(record.keyId))
        throw new InvalidApiKeyConfigError(`API key id ${record.keyId} appears twice`);
      this.byKeyId.set(record.keyId, { record, hash: Buffer.from(record.secretHash.slice('sha256:'.length), 'hex') });
    }
  }

  /** The principal the token authenticates, or undefined. */
  verify(token: string): Principal | undefined {
    const match = TOKEN.exec(token);
    if (!match) return undefined;
    const entry = this.byKeyId.get(match[1]);
    const presented = hashSecret(match[2]);
    const equal = timingSafeEqual(presented, entry?.hash ?? this.decoy);
    return entry && equal ? { id: entry.record.principal, roles: entry.record.roles } : undefined;
  }

  get size(): number {
    return this.byKeyId.size;
  }
}

/**
 * Parses the API key configuration (a file's or an environment variable's
 * JSON): `{ "keys": [{ "keyId", "principal", "roles": [...], "secretHash" }] }`.
 */
export function parseApiKeyConfig(json: string, source: string): ApiKeyRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new InvalidApiKeyConfigError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) throw new InvalidApiKeyConfigError(`${source} must be an object with a "keys" array`);
  return keys.map((key: unknown, i) => {
    const k = key as Partial<ApiKeyRecord>;
    const where = `${source}: keys[${i}]`;
    if (typeof k?.keyId !== 'string' || !/^[a-z0-9]{12}$/.test(k.keyId))
      throw new InvalidApiKeyConfigError(`${where}.keyId must be 12 characters a-z0-9`);
    if (typeof k.principal !== 'string' || k.principal.length === 0)
      throw new InvalidApiKeyConfigError(`${where}.principal must be a non-empty string`);
    if (!Array.isArray(k.roles) || k.roles.length === 0 || !k.roles.every(isRole)) {
      throw new InvalidApiKeyConfigError(`${where}.roles must be a non-empty list of roles`);
    }
    if (typeof k.secretHash !== 'string' || !HASH.test(k.secretHash))
      throw new InvalidApiKeyConfigError(`${where}.secretHash must be sha256:<64 hex>`);
    return { keyId: k.keyId, principal: k.principal, roles: k.roles, secretHash: k.secretHash };
  });
}
