import type { ValidationProblem } from '@prov/contracts';

/** The error body of every service (shared/API.md). */
export interface ApiErrorBody {
  error: { code: string; message: string; details: ValidationProblem[] };
}

/**
 * An error a request can end with, mapped once (api-error.filter.ts) to its
 * status and the API error shape. `retriable` tells clients (and the SDK)
 * whether the same request may succeed later.
 */
export abstract class ApiError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly retriable: boolean = false;

  constructor(
    message: string,
    readonly details: ValidationProblem[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export class InvalidRequestError extends ApiError {
  readonly status = 400;
  readonly code = 'invalid_request';
  constructor(details: ValidationProblem[], message = describeProblems(details)) {
    super(message, details);
  }
}

export class UnauthenticatedError extends ApiError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  constructor(message = 'Authorization: Bearer <API key> is missing or not valid') {
    super(message);
  }
}

export class ForbiddenError extends ApiError {
  readonly status = 403;
  readonly code = 'forbidden';
}

export class NotFoundError extends ApiError {
  readonly status = 404;
  readonly code = 'not_found';
}

/** The request contradicts an immutable record already accepted. */
export class ConflictError extends ApiError {
  readonly status = 409;
  readonly code = 'conflict';
}

export class PayloadTooLargeError extends ApiError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class UnprocessableError extends ApiError {
  readonly status = 422;
  readonly code = 'unprocessable';
}

/** A dependency (the event log) did not acknowledge; nothing was accepted. */
export class ServiceUnavailableError extends ApiError {
  readonly status = 503;
  readonly code = 'unavailable';
  override readonly retriable = true;
}

function describeProblems(details: ValidationProblem[]): string {
  if (details.length === 0) return 'The request is not valid';
  const first = details[0];
  const more = details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})` : '';
  return `${first.path || 'body'}: ${first.problem}${more}`;
}
