import { DomainError, type ValidationProblem } from '@prov/contracts';
import type { PredictionConflict } from './prediction-resends';

/** Predictions of the request were recorded before with other content; a recorded prediction does not change. */
export class PredictionsContradictRecordsError extends DomainError {
  readonly kind = 'conflict';
  readonly retriable = false;
  constructor(readonly conflicts: PredictionConflict[]) {
    super(`${conflicts.length} prediction(s) contradict earlier records`, conflicts);
  }
}

/**
 * The request's Idempotency-Key named a batch that recorded some of its
 * predictions, not all: the key was used for another request. Publishing the
 * rest under that batch id would make one batch id name two batches.
 */
export class IdempotencyKeyReusedError extends DomainError {
  readonly kind = 'unprocessable';
  readonly retriable = false;
  constructor(batchId: string, fresh: number) {
    super(
      `the Idempotency-Key's batch ${batchId} was recorded without ${fresh} of this request's predictions; send them with another Idempotency-Key`,
      [{ path: 'Idempotency-Key', problem: `already used for ${batchId}, a batch of other predictions` }],
    );
  }
}

/** Raw outputs over the bound: the request is refused whole, naming each. */
export class OutputTooLargeError extends DomainError {
  readonly kind = 'too-large';
  readonly retriable = false;
  constructor(maxBytes: number, problems: ValidationProblem[]) {
    super(`${problems.length} prediction output(s) take more than ${maxBytes} bytes as JSON`, problems);
  }
}
