import { validatePolicy } from '../policy/policy.parser';
import { digestOnlyPolicies, rawOutputProblems } from './output-capture';

const policy = (name: string, spec: Record<string, unknown>) =>
  validatePolicy(
    {
      apiVersion: 'provenance/v1',
      kind: 'ProvenancePolicy',
      metadata: { name },
      spec: { captureLevel: 'standard', ...spec },
    },
    name,
  );

describe('output capture of a deployment', () => {
  const policies = [
    policy('private-scoring', { outputs: 'digest-only', appliesTo: { deployments: ['credit-api'] } }),
    policy('everywhere-raw', { outputs: 'raw' }),
    policy('no-rule', {}),
    policy('all-private', { outputs: 'digest-only', appliesTo: { models: ['credit'] } }),
  ];

  it('names the digest-only policies that apply to the deployment, by name or by id', () => {
    expect(digestOnlyPolicies(policies, 'credit-api')).toEqual(['private-scoring']);
    expect(digestOnlyPolicies(policies, 'deployment:credit-api')).toEqual(['private-scoring']);
    expect(digestOnlyPolicies(policies, 'churn-api')).toEqual([]);
  });

  it('names every prediction that carries a raw output, and none without such a policy', () => {
    const predictions = [{ outputDigest: 'sha256:x' }, { output: { score: 0.3 } }, {}, { output: null }];
    expect(rawOutputProblems(predictions, ['private-scoring'])).toEqual([
      {
        path: 'predictions[1].output',
        problem: expect.stringContaining('policy private-scoring: outputs digest-only'),
      },
      { path: 'predictions[3].output', problem: expect.stringContaining('send outputDigest instead') },
    ]);
    expect(rawOutputProblems(predictions, [])).toEqual([]);
  });

  it('refuses an output capture the policy language does not know', () => {
    expect(() => policy('bad', { outputs: 'hashed' })).toThrow(/spec\.outputs/);
  });
});
