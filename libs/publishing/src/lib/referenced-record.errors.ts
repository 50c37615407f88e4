import { DomainError, ValidationProblem } from '@prov/contracts';

/** A record named in the request body (a slice of a run, the pipeline...) is not registered. */
export class UnknownReferenceError extends DomainError {
  readonly kind = 'unprocessable';
  readonly retriable = false;
  constructor(problems: ValidationProblem[]) {
    super(`${problems[0].path}: ${problems[0].problem}`, problems);
  }
}

/** The record named in the path is not registered. */
export class UnknownRecordError extends DomainError {
  readonly kind = 'not-found';
  readonly retriable = false;
}
