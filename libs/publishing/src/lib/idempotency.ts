import { createHash } from 'node:crypto';

/**
 * A UUID derived from an Idempotency-Key, for records whose id the service
 * generates (runs, evaluations): a retried request gets the same id, so the
 * immutable-record rules make the retry a no-op. Scoped by principal and
 * purpose, so keys of different clients or routes never collide. The
 * version nibble is 8 (RFC 9562 custom UUID).
 */
export function uuidFromIdempotencyKey(principal: string, scope: string, key: string): string {
  const bytes = createHash('sha256').update(`${principal}\u0000${scope}\u0000${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
