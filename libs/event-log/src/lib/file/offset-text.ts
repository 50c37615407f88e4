import { InvalidOffsetError } from '../event-log.errors';

/**
 * Offsets cross the port as decimal strings (Kafka's are 64-bit); the file
 * log keeps them as numbers, exact up to 2^53, far beyond any partition's length.
 */
export function parseOffset(offset: string): number {
  const value = typeof offset === 'string' && /^(0|[1-9]\d{0,15})$/.test(offset) ? Number(offset) : NaN;
  if (!Number.isSafeInteger(value)) throw new InvalidOffsetError(String(offset));
  return value;
}
