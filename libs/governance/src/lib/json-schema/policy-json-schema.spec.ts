import Ajv from 'ajv';
import { parse } from 'yaml';
import checkedIn from '../../../schemas/provenance-policy.schema.json';
import { EXAMPLE_POLICY_YAML, examplePolicyWith } from '../policy/example-policy.test-helper';
import { validatePolicy } from '../policy/policy.parser';
import { buildPolicyJsonSchema } from './policy-json-schema';

const generated = buildPolicyJsonSchema();
const validate = new Ajv({ strict: true, allErrors: true }).compile(generated);

describe('the policy JSON Schema', () => {
  it('is current in schemas/ (run `npx nx run governance:generate-schemas` after changing the policy classes)', () => {
    expect(checkedIn).toEqual(generated);
  });

  it('accepts the example policy and the smallest one', () => {
    expect(validate(parse(EXAMPLE_POLICY_YAML)) ? [] : validate.errors).toEqual([]);
    const minimal = {
      apiVersion: 'provenance/v1',
      kind: 'ProvenancePolicy',
      metadata: { name: 'p' },
      spec: { captureLevel: 'standard' },
    };
    expect(validate(minimal) ? [] : validate.errors).toEqual([]);
  });

  it.each([true, false, { minSeverity: 'critical' }])('accepts forbidFlaggedSlices: %p', (rule) => {
    const policy = examplePolicyWith('spec.forbidFlaggedSlices', rule);
    expect(validate(policy) ? [] : validate.errors).toEqual([]);
  });

  // Tools that write policies in other languages must be refused what validatePolicy refuses.
  it.each<[string, string, unknown]>([
    ['an unknown key', 'spec.captureLvel', 'full'],
    ['another apiVersion', 'apiVersion', 'provenance/v2'],
    ['no metadata', 'metadata', undefined],
    ['a name with a space', 'metadata.name', 'churn prod'],
    ['an unknown capture level', 'spec.captureLevel', 'minimal'],
    ['an empty appliesTo', 'spec.appliesTo', {}],
    ['an unknown required field', 'spec.requiredFields', ['seeds', 'seed']],
    ['an evaluation on an unknown role', 'spec.requiredEvaluations[0].slice', 'holdout'],
    ['a severity threshold as bare text', 'spec.forbidFlaggedSlices', 'high'],
    ['an unknown severity', 'spec.forbidFlaggedSlices.minSeverity', 'severe'],
  ])('refuses %s, as validatePolicy does', (_name, path, value) => {
    const policy = examplePolicyWith(path, value);
    expect(validate(policy)).toBe(false);
    expect(() => validatePolicy(policy, 'body')).toThrow('not a valid provenance policy');
  });
});
