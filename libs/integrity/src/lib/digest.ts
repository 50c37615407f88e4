import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { InvalidDigestError } from './integrity.errors';

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** Lowercase hex SHA-256 of bytes, or of a string's UTF-8 encoding. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `sha256:<hex>` of the RFC 8785 canonical JSON (UTF-8) of a plain JSON value. */
export function digestOf(value: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(value))}`;
}

/** The digest an event envelope carries in `integrity.payloadDigest`. */
export function payloadDigest(payload: unknown): string {
  return digestOf(payload);
}

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

export function parseDigest(value: string): { algorithm: 'sha256'; hex: string } {
  const match = typeof value === 'string' ? DIGEST.exec(value) : null;
  if (!match)
    throw new InvalidDigestError(`${JSON.stringify(value)} is not a digest of the form sha256:<64 lowercase hex>`);
  return { algorithm: 'sha256', hex: match[1] };
}
