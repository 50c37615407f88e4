import { DomainError, ValidationProblem } from '@prov/contracts';

/** The error body of every service: `{ error: { code, message, details: [{ path, problem }] } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details: ValidationProblem[] };
}

/** Errors the HTTP layer itself raises; domain libraries raise their own DomainErrors. */
export class InvalidRequestError extends DomainError {
  readonly kind = 'invalid';
  readonly retriable = false;
  constructor(details: ValidationProblem[], message = describeProblems(details)) {
    super(message, details);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
  readonly retriable = false;
  constructor(message = 'Authorization: Bearer <API key> is missing or not valid') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  readonly retriable = false;
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  readonly retriable = false;
}

/** The request contradicts an immutable record already accepted. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  readonly retriable = false;
}

export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
  readonly retriable = false;
}

/** A field of the request is larger than its bound; each is named with its size. */
export class FieldTooLargeError extends DomainError {
  readonly kind = 'too-large';
  readonly retriable = false;
  constructor(details: ValidationProblem[]) {
    super(describeProblems(details), details);
  }
}

/** A dependency (the event log) did not acknowledge; nothing was accepted. */
export class ServiceUnavailableError extends DomainError {
  readonly kind = 'unavailable';
  readonly retriable = true;
}

function describeProblems(details: ValidationProblem[]): string {
  if (details.length === 0) return 'The request is not valid';
  const first = details[0];
  const more = details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})` : '';
  return `${first.path || 'body'}: ${first.problem}${more}`;
}
