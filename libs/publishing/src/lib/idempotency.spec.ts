import { isEntityId } from '@prov/contracts';
import { uuidFromIdempotencyKey } from './idempotency';

describe('ids from idempotency keys', () => {
  it('gives the same UUID for the same principal, scope and key', () => {
    expect(uuidFromIdempotencyKey('alice', 'run', 'k1')).toBe(uuidFromIdempotencyKey('alice', 'run', 'k1'));
  });

  it('gives different UUIDs when any part differs', () => {
    const ids = new Set([
      uuidFromIdempotencyKey('alice', 'run', 'k1'),
      uuidFromIdempotencyKey('bob', 'run', 'k1'),
      uuidFromIdempotencyKey('alice', 'evaluation', 'k1'),
      uuidFromIdempotencyKey('alice', 'run', 'k2'),
    ]);
    expect(ids.size).toBe(4);
  });

  it('is a valid UUID (version 8) usable in run and evaluation ids', () => {
    const uuid = uuidFromIdempotencyKey('alice', 'run', 'k1');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isEntityId('trainingRun', `run:${uuid}`)).toBe(true);
  });
});
