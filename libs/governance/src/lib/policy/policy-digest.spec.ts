import { EXAMPLE_POLICY_YAML, examplePolicy } from './example-policy.test-helper';
import { policyDigest } from './policy-digest';
import { parsePolicy, validatePolicy } from './policy.parser';

describe('a policy digest', () => {
  const digest = policyDigest(parsePolicy(EXAMPLE_POLICY_YAML, 'churn-prod.yaml'));

  it('is the sha256 of the canonical JSON', () => {
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('is the same whatever the key order and whether the policy was written in YAML or JSON', () => {
    expect(policyDigest(validatePolicy(examplePolicy(), 'body'))).toBe(digest);
    expect(policyDigest(parsePolicy(JSON.stringify(examplePolicy()), 'churn-prod.json'))).toBe(digest);
    const reordered = EXAMPLE_POLICY_YAML.replace('  separationOfDuties: true\n', '').replace(
      'spec:\n',
      'spec:\n  separationOfDuties: true\n',
    );
    expect(reordered).not.toBe(EXAMPLE_POLICY_YAML);
    expect(policyDigest(parsePolicy(reordered, 'churn-prod.yaml'))).toBe(digest);
  });

  it('ignores comments and layout, which do not change what the policy asks', () => {
    const annotated = `# reviewed by the model-risk team\n${EXAMPLE_POLICY_YAML.replace('captureLevel: full', 'captureLevel:   full  # DESIGN.md §2')}`;
    expect(policyDigest(parsePolicy(annotated, 'churn-prod.yaml'))).toBe(digest);
  });

  it('changes with any requirement', () => {
    const looser = parsePolicy(EXAMPLE_POLICY_YAML.replace('min: 0.85', 'min: 0.8'), 'churn-prod.yaml');
    expect(policyDigest(looser)).not.toBe(digest);
  });
});
