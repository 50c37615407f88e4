import type { ProvenancePolicy } from './provenance-policy.document';

/** The policy of the README, as its team would write it. */
export const EXAMPLE_POLICY_YAML = `apiVersion: provenance/v1
kind: ProvenancePolicy
metadata:
  name: churn-prod
  description: What a churn model needs before it serves production traffic
spec:
  appliesTo:
    deployments: [churn-api]
    models: [churn-classifier]
  captureLevel: full
  requiredFields: [seeds, runCompleted]
  requiredEvaluations:
    - slice: validation
      metric: auc
      min: 0.85
  forbidFlaggedSlices: { minSeverity: medium }
  separationOfDuties: true
`;

/** The same policy as an object, in another key order. */
export function examplePolicy(): ProvenancePolicy {
  return {
    kind: 'ProvenancePolicy',
    apiVersion: 'provenance/v1',
    spec: {
      separationOfDuties: true,
      forbidFlaggedSlices: { minSeverity: 'medium' },
      requiredEvaluations: [{ min: 0.85, metric: 'auc', slice: 'validation' }],
      requiredFields: ['seeds', 'runCompleted'],
      captureLevel: 'full',
      appliesTo: { models: ['churn-classifier'], deployments: ['churn-api'] },
    },
    metadata: { description: 'What a churn model needs before it serves production traffic', name: 'churn-prod' },
  };
}

/**
 * The example policy, as plain JSON, with the value at `path` (written as
 * problems name it: `spec.requiredEvaluations[0].min`) replaced, or removed
 * when `value` is undefined: for tests that break it on purpose.
 */
export function examplePolicyWith(path: string, value: unknown): Record<string, unknown> {
  const policy = examplePolicy() as unknown as Record<string, unknown>;
  const segments = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  const parent = segments.slice(0, -1).reduce((node, segment) => node[segment] as Record<string, unknown>, policy);
  const last = segments[segments.length - 1];
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return policy;
}
