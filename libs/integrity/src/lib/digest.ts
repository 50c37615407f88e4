import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { IntegrityError } from './integrity.errors';

const DIGEST = /^sha256:([0-9a-f]{64})$/;

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `sha256:<hex>` of the RFC 8785 canonical JSON (UTF-8) of a JSON value. */
export function digestOf(value: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(value))}`;
}

/** The digest an event envelope carries for its payload. */
export const payloadDigest = digestOf;

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

/** The hex part of a `sha256:` digest. */
export function parseDigest(value: string): { algorithm: 'sha256'; hex: string } {
  const match = DIGEST.exec(value);
  if (!match)
    throw new IntegrityError(`${JSON.stringify(value)} is not a digest of the form sha256:<64 lowercase hex>`);
  return { algorithm: 'sha256', hex: match[1] };
}
