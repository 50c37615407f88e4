/** Base of the integrity library's errors: none is retriable, the input itself is at fault. */
export class IntegrityError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The value cannot be represented in RFC 8785 canonical JSON. */
export class NonCanonicalizableValueError extends IntegrityError {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

export class InvalidManifestError extends IntegrityError {}

export class InvalidProofRequestError extends IntegrityError {}
