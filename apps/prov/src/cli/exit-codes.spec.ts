import { ProvenanceApiError } from '@prov/sdk';
import { CliError, EXIT, describeFailure } from './exit-codes';

const apiError = (status: number) => new ProvenanceApiError(`answered ${status}`, status, 'code', [], status >= 500);

describe('exit codes', () => {
  it.each([
    [404, EXIT.notFound],
    [401, EXIT.denied],
    [403, EXIT.denied],
    [400, EXIT.rejected],
    [409, EXIT.rejected],
    [422, EXIT.rejected],
    [503, EXIT.unavailable],
    [0, EXIT.unavailable],
    [500, EXIT.internal],
  ])('maps an API answer %i to exit code %i', (status, code) => {
    expect(describeFailure(apiError(status)).exitCode).toBe(code);
  });

  it('reports the problems of a refused request by field path', () => {
    const error = new ProvenanceApiError(
      'invalid request',
      400,
      'validation_failed',
      [{ path: 'criteria.sampling.fraction', problem: 'must be at most 1' }],
      false,
    );
    expect(describeFailure(error)).toEqual({
      exitCode: EXIT.rejected,
      message: 'invalid request\n  criteria.sampling.fraction: must be at most 1',
    });
  });

  it('keeps the exit code a command chose, and treats anything else as internal', () => {
    expect(describeFailure(new CliError('no such file', EXIT.usage))).toEqual({ exitCode: 2, message: 'no such file' });
    expect(describeFailure(new TypeError('boom')).exitCode).toBe(EXIT.internal);
  });
});
