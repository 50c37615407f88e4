/**
 * Base of the integrity library's errors. None is retriable: the input
 * itself is at fault, so the same call would fail the same way again.
 */
export abstract class IntegrityError extends Error {
  readonly retriable = false;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The value is not plain JSON, so it has no RFC 8785 canonical form. */
export class NonCanonicalizableValueError extends IntegrityError {
  constructor(
    /** Where in the value, as a JSON path such as `$.a.b[2]`. */
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** Not a `sha256:<64 lowercase hex>` digest, or not an id built on one. */
export class InvalidDigestError extends IntegrityError {}

/** A dataset or artifact manifest that cannot name content. */
export class InvalidManifestError extends IntegrityError {
  constructor(
    message: string,
    /** Index, in the caller's list, of the part at fault (absent when the list as a whole is). */
    readonly partIndex?: number,
  ) {
    super(message);
  }
}

/** A key that is not an Ed25519 key. */
export class InvalidSigningKeyError extends IntegrityError {}

/** A proof asked for a leaf or tree size that the log does not have. */
export class InvalidProofRequestError extends IntegrityError {}
