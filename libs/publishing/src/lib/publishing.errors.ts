import { DomainError, ValidationProblem } from '@prov/contracts';

/** The principal's roles do not allow publishing this event type (producers emit only their own domain). */
export class PublishForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  readonly retriable = false;
}

/** An event built by a service does not satisfy its own contract: a defect, never the client's input. */
export class ContractViolationError extends DomainError {
  readonly kind = 'invalid';
  readonly retriable = false;
  constructor(type: string, problems: ValidationProblem[]) {
    super(`${type} does not satisfy its contract`, problems);
  }
}

/** The record exists with other content; immutable records are never changed. */
export class ImmutableRecordConflictError extends DomainError {
  readonly kind = 'conflict';
  readonly retriable = false;
}

/** The event log did not acknowledge: nothing of the request may be assumed accepted. */
export class EventLogUnavailableError extends DomainError {
  readonly kind = 'unavailable';
  readonly retriable = true;
}
