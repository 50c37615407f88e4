import type { ProvenancePolicy } from './provenance-policy.document';
import { examplePolicy } from './example-policy.test-helper';
import { policyApplies } from './policy-scope';

function scoped(appliesTo: ProvenancePolicy['spec']['appliesTo']): ProvenancePolicy {
  const policy = examplePolicy();
  if (appliesTo) policy.spec.appliesTo = appliesTo;
  else delete policy.spec.appliesTo;
  return policy;
}

describe('whether a policy applies', () => {
  it('applies to everything when it says nothing of what it is for', () => {
    const everywhere = scoped(undefined);
    expect(policyApplies(everywhere, { deployment: 'fraud-api', modelName: 'fraud' })).toBe(true);
    expect(policyApplies(everywhere, {})).toBe(true);
  });

  it('applies to a listed deployment, by name or by id', () => {
    const policy = scoped({ deployments: ['churn-api'] });
    expect(policyApplies(policy, { deployment: 'churn-api' })).toBe(true);
    expect(policyApplies(policy, { deployment: 'deployment:churn-api' })).toBe(true);
    expect(policyApplies(policy, { deployment: 'churn-api-canary' })).toBe(false);
  });

  it('applies to a listed model', () => {
    const policy = scoped({ models: ['churn-classifier'] });
    expect(policyApplies(policy, { modelName: 'churn-classifier' })).toBe(true);
    expect(policyApplies(policy, { modelName: 'fraud' })).toBe(false);
  });

  it('applies when either list names the target', () => {
    const policy = scoped({ deployments: ['churn-api'], models: ['churn-classifier'] });
    expect(policyApplies(policy, { deployment: 'batch-scoring', modelName: 'churn-classifier' })).toBe(true);
    expect(policyApplies(policy, { deployment: 'churn-api', modelName: 'churn-classifier-v2' })).toBe(true);
    expect(policyApplies(policy, { deployment: 'batch-scoring', modelName: 'fraud' })).toBe(false);
  });

  it('does not apply to a target it cannot tell, when it names what it is for', () => {
    expect(policyApplies(scoped({ deployments: ['churn-api'] }), { modelName: 'churn-classifier' })).toBe(false);
    expect(policyApplies(scoped({ models: ['churn-classifier'] }), {})).toBe(false);
  });
});
