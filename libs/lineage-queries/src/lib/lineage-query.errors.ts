import { DomainError } from '@prov/contracts';

/** A graph walk asked for with a depth or node budget it cannot honour. */
export class InvalidGraphQueryError extends DomainError {
  readonly kind = 'invalid' as const;
  readonly retriable = false;

  constructor(field: 'depth' | 'maxNodes', value: number) {
    super(`${field} must be a ${field === 'depth' ? 'non-negative' : 'positive'} integer, got ${value}`, [
      { path: field, problem: 'must be an integer in range' },
    ]);
  }
}

/** A page cursor this library did not hand out (or one that was altered). */
export class InvalidCursorError extends DomainError {
  readonly kind = 'invalid' as const;
  readonly retriable = false;

  constructor(readonly cursor: string) {
    super(`not a prediction page cursor: ${JSON.stringify(cursor)}`, [
      { path: 'cursor', problem: 'not a cursor of this listing' },
    ]);
  }
}

/** A page size outside what one read may return. */
export class InvalidPageSizeError extends DomainError {
  readonly kind = 'invalid' as const;
  readonly retriable = false;

  constructor(limit: number, max: number) {
    super(`limit must be an integer from 1 to ${max}, got ${limit}`, [{ path: 'limit', problem: `1..${max}` }]);
  }
}
