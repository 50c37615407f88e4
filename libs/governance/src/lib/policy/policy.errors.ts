import { DomainError, type ValidationProblem } from '@prov/contracts';

/** A policy document that cannot be read or is not valid; `problems` names every invalid field by path. */
export class PolicyError extends DomainError {
  readonly kind = 'invalid' as const;
  readonly retriable = false;

  constructor(
    readonly source: string,
    readonly problems: ValidationProblem[],
  ) {
    super(
      `${source}: not a valid provenance policy: ${problems
        .map(({ path, problem }) => (path ? `${path}: ${problem}` : problem))
        .join('; ')}`,
      problems,
    );
  }
}
