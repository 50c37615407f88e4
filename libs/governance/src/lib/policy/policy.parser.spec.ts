import { parsePolicy, validatePolicy } from './policy.parser';
import { PolicyError } from './policy.errors';
import { EXAMPLE_POLICY_YAML, examplePolicy, examplePolicyWith } from './example-policy.test-helper';

const SOURCE = 'policies/churn-prod.yaml';

/** The problems of the PolicyError that `read` throws; the test fails if it throws none. */
function problemsOf(read: () => unknown): PolicyError['problems'] {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).problems;
  }
  throw new Error('expected a PolicyError');
}

/** The distinct paths of the problems: a field failing two constraints has two problems. */
const pathsOf = (value: unknown) => [...new Set(problemsOf(() => validatePolicy(value, SOURCE)).map((p) => p.path))];

describe('reading a provenance policy', () => {
  it('reads the YAML document', () => {
    expect(parsePolicy(EXAMPLE_POLICY_YAML, SOURCE)).toEqual(examplePolicy());
  });

  it('reads the same document written as JSON', () => {
    expect(parsePolicy(JSON.stringify(examplePolicy(), null, 2), 'churn-prod.json')).toEqual(examplePolicy());
  });

  it('reads the smallest policy: a capture level', () => {
    const minimal =
      'apiVersion: provenance/v1\nkind: ProvenancePolicy\nmetadata: { name: p }\nspec: { captureLevel: standard }\n';
    expect(parsePolicy(minimal, SOURCE).spec).toEqual({ captureLevel: 'standard' });
  });

  it.each([true, false])('accepts forbidFlaggedSlices: %p as well as a severity threshold', (rule) => {
    expect(validatePolicy(examplePolicyWith('spec.forbidFlaggedSlices', rule), SOURCE).spec.forbidFlaggedSlices).toBe(
      rule,
    );
  });

  it('accepts a slice id and bounds on both sides in a required evaluation', () => {
    const holdout = { slice: `slice:sha256:${'b'.repeat(64)}`, metric: 'f1.macro', min: 0.5, max: 0.99 };
    const policy = validatePolicy(examplePolicyWith('spec.requiredEvaluations[1]', holdout), SOURCE);
    expect(policy.spec.requiredEvaluations).toContainEqual(holdout);
  });

  it('returns the value it was given, so that a digest covers what was written', () => {
    const policy = examplePolicy();
    expect(validatePolicy(policy, SOURCE)).toBe(policy);
  });

  it.each<[string, string, unknown, string?]>([
    ['another apiVersion', 'apiVersion', 'provenance/v2'],
    ['another kind', 'kind', 'NetworkPolicy'],
    ['no metadata', 'metadata', undefined],
    ['a name with a space', 'metadata.name', 'churn prod'],
    ['a name of 129 characters', 'metadata.name', 'n'.repeat(129)],
    ['a description that is not text', 'metadata.description', 7],
    ['no spec', 'spec', undefined],
    ['no capture level', 'spec.captureLevel', undefined],
    ['an unknown capture level', 'spec.captureLevel', 'minimal'],
    ['an empty appliesTo', 'spec.appliesTo', {}],
    ['an empty deployment list', 'spec.appliesTo.deployments', []],
    ['a deployment id instead of a name', 'spec.appliesTo.deployments', ['deployment:churn-api']],
    ['a model listed twice', 'spec.appliesTo.models', ['churn', 'churn']],
    ['an unknown required field', 'spec.requiredFields', ['seeds', 'seed']],
    ['a required field listed twice', 'spec.requiredFields', ['seeds', 'seeds']],
    ['required fields that are not a list', 'spec.requiredFields', 'seeds'],
    ['an evaluation without a metric', 'spec.requiredEvaluations[0].metric', undefined],
    ['an empty metric name', 'spec.requiredEvaluations[0].metric', ''],
    ['an evaluation on an unknown role', 'spec.requiredEvaluations[0].slice', 'holdout'],
    ['a malformed slice id', 'spec.requiredEvaluations[0].slice', 'slice:sha256:abc'],
    ['a minimum that is not a number', 'spec.requiredEvaluations[0].min', '0.85'],
    ['a maximum below the minimum of 0.85', 'spec.requiredEvaluations[0].max', 0.8],
    [
      'one slice and metric required twice',
      'spec.requiredEvaluations[1]',
      { slice: 'validation', metric: 'auc', max: 0.99 },
      'spec.requiredEvaluations',
    ],
    ['an evaluation that is not an object', 'spec.requiredEvaluations[0]', 'validation.auc'],
    ['an unknown severity', 'spec.forbidFlaggedSlices.minSeverity', 'severe'],
    ['a severity threshold as bare text', 'spec.forbidFlaggedSlices', 'high'],
    ['separation of duties as text', 'spec.separationOfDuties', 'yes'],
  ])('refuses %s at %s', (_name, path, value, problemPath = path) => {
    expect(pathsOf(examplePolicyWith(path, value))).toEqual([problemPath]);
  });

  it.each([
    ['at the top', 'status'],
    ['in metadata', 'metadata.labels'],
    ['in spec', 'spec.captureLvel'],
    ['in appliesTo', 'spec.appliesTo.environments'],
    ['in a required evaluation', 'spec.requiredEvaluations[0].minimum'],
    ['in the severity threshold', 'spec.forbidFlaggedSlices.maxSeverity'],
  ])('refuses an unknown key %s (%s)', (_where, path) => {
    const key = path.split('.').pop();
    expect(problemsOf(() => validatePolicy(examplePolicyWith(path, 'x'), SOURCE))).toEqual([
      { path, problem: `property ${key} should not exist` },
    ]);
  });

  it('names every invalid field at once', () => {
    const policy = examplePolicyWith('metadata.name', '') as { spec: Record<string, unknown> };
    policy.spec['captureLevel'] = 'everything';
    (policy.spec['requiredEvaluations'] as Array<Record<string, unknown>>)[0]['metric'] = 3;
    expect(pathsOf(policy).sort()).toEqual([
      'metadata.name',
      'spec.captureLevel',
      'spec.requiredEvaluations[0].metric',
    ]);
  });

  it('refuses what canonical JSON cannot digest', () => {
    const yaml = EXAMPLE_POLICY_YAML.replace('min: 0.85', 'min: .nan');
    expect(problemsOf(() => parsePolicy(yaml, SOURCE))).toEqual([
      { path: 'spec.requiredEvaluations[0].min', problem: 'must be a finite number' },
    ]);
  });

  it.each([
    ['an empty document', ''],
    ['a list', '- captureLevel: full\n'],
    ['a scalar', 'full\n'],
  ])('refuses %s: a policy is an object', (_name, text) => {
    expect(problemsOf(() => parsePolicy(text, SOURCE))).toEqual([
      { path: '', problem: expect.stringMatching(/^a policy must be an object/) },
    ]);
  });

  it.each([
    [
      'a duplicate key',
      `${EXAMPLE_POLICY_YAML}kind: ProvenancePolicy\n`,
      /^line 18, column 1: Map keys must be unique/,
    ],
    ['malformed JSON', '{ "apiVersion": "provenance/v1", ', /^line 1, column \d+: /],
    ['two documents', `${EXAMPLE_POLICY_YAML}---\n${EXAMPLE_POLICY_YAML}`, /multiple documents/],
    ['an unknown tag', EXAMPLE_POLICY_YAML.replace('min: 0.85', 'min: !decimal 0.85'), /Unresolved tag: !decimal/],
    ['an unresolved alias', EXAMPLE_POLICY_YAML.replace('min: 0.85', 'min: *threshold'), /Unresolved alias/],
  ])('refuses %s with where it is', (_name, text, problem) => {
    expect(problemsOf(() => parsePolicy(text, SOURCE))).toContainEqual({
      path: '',
      problem: expect.stringMatching(problem),
    });
  });

  it('says which document is wrong and how, in the message', () => {
    expect(() => parsePolicy(EXAMPLE_POLICY_YAML.replace('captureLevel: full', 'captureLevel: total'), SOURCE)).toThrow(
      /^policies\/churn-prod\.yaml: not a valid provenance policy: spec\.captureLevel: captureLevel must be one of/,
    );
  });

  it('is an invalid-input domain error, not worth retrying', () => {
    const error = new PolicyError(SOURCE, [{ path: 'spec', problem: 'spec must be an object' }]);
    expect(error).toMatchObject({ kind: 'invalid', retriable: false, details: error.problems, name: 'PolicyError' });
  });
});
