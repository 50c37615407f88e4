import { ProvenanceApiError } from '@prov/sdk';

/**
 * What `prov` exits with, so that CI pipelines can branch on the outcome
 * (documented in the README and in `prov --help`).
 */
export const EXIT = {
  ok: 0,
  /** The command ran and its check failed: data that does not match, a policy not satisfied, a trace not complete. */
  checkFailed: 1,
  usage: 2,
  notFound: 3,
  /** The platform did not answer, or answered that it is not ready (503). */
  unavailable: 4,
  /** The API key is missing, unknown, or lacks the role. */
  denied: 5,
  /** The platform refused the request as invalid (400, 409, 422). */
  rejected: 6,
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports in one line and exits with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The exit code and message for anything a command threw. */
export function describeFailure(error: unknown): { exitCode: ExitCode; message: string } {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  if (error instanceof ProvenanceApiError) {
    const details = error.details.map((d) => `\n  ${d.path}: ${d.problem}`).join('');
    return { exitCode: exitCodeOfStatus(error.status), message: `${error.message}${details}` };
  }
  return { exitCode: EXIT.internal, message: (error as Error)?.stack ?? String(error) };
}

function exitCodeOfStatus(status: number): ExitCode {
  if (status === 0 || status === 503 || status === 502 || status === 504) return EXIT.unavailable;
  if (status === 404) return EXIT.notFound;
  if (status === 401 || status === 403) return EXIT.denied;
  if (status === 400 || status === 409 || status === 413 || status === 422) return EXIT.rejected;
  return EXIT.internal;
}
