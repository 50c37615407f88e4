import type { ValidationProblem } from '../validation/validation-problem';

/**
 * What kind of failure a domain error is. Adapters map kinds once (the HTTP
 * filter to statuses, the projector to dead letters), so the domain never
 * speaks HTTP.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'too-large'
  | 'unprocessable'
  | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** Whether the same operation may succeed if tried again later. */
  abstract readonly retriable: boolean;

  constructor(
    message: string,
    readonly details: ValidationProblem[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}
