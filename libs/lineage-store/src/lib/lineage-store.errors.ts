import { DomainError } from '@prov/contracts';

/** Errors of a lineage store. Each says whether the same call may succeed later (`retriable`). */

export class InvalidGenerationNameError extends DomainError {
  readonly kind = 'invalid';
  readonly retriable = false;

  constructor(readonly generation: string) {
    super(
      `invalid generation name ${JSON.stringify(generation)}: use 1 to 48 of a-z, 0-9 and '-', not starting with '-'`,
    );
  }
}

export class UnknownGenerationError extends DomainError {
  readonly kind = 'not-found';
  readonly retriable = false;

  constructor(readonly generation: string) {
    super(`generation ${generation} does not exist (open it with generation() first)`);
  }
}

export class ActiveGenerationDropError extends DomainError {
  readonly kind = 'conflict';
  readonly retriable = false;

  constructor(readonly generation: string) {
    super(`generation ${generation} is active: activate another one before dropping it`);
  }
}

/** A path in a write, a query or a sum that is not one of the views' own field paths. */
export class InvalidFieldPathError extends DomainError {
  readonly kind = 'invalid';
  readonly retriable = false;

  constructor(readonly path: string) {
    super(`not a view field path: ${JSON.stringify(path)} (segments of A-Z a-z 0-9 _ -, joined by '.')`);
  }
}

/** A value that is not JSON (NaN, Infinity, undefined in an array, a Date, a class instance...). */
export class UnencodableValueError extends DomainError {
  readonly kind = 'invalid';
  readonly retriable = false;

  constructor(readonly what: string) {
    super(`cannot store ${what}: view documents hold JSON values only`);
  }
}

/** The store cannot be reached or did not answer in time: retry later. */
export class LineageStoreUnavailableError extends DomainError {
  readonly kind = 'unavailable';
  readonly retriable = true;

  constructor(operation: string, cause: unknown) {
    super(`lineage store unavailable during ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.cause = cause;
  }
}

/** The store answered but refused the operation (for example a `set` through a field that is not an object). */
export class LineageStoreRejectedError extends DomainError {
  readonly kind = 'unprocessable';
  readonly retriable = false;

  constructor(
    operation: string,
    readonly codes: number[],
    messages: string[],
    cause: unknown,
  ) {
    super(`lineage store rejected ${operation}: ${messages.join('; ')}`);
    this.cause = cause;
  }
}
