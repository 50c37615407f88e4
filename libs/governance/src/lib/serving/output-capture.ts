import type { ValidationProblem } from '@prov/contracts';
import { policyApplies } from '../policy/policy-scope';
import type { ProvenancePolicy } from '../policy/provenance-policy.document';

/** The names of the policies that allow a deployment only digests of its prediction outputs. */
export function digestOnlyPolicies(policies: readonly ProvenancePolicy[], deployment: string): string[] {
  return policies
    .filter((policy) => policy.spec.outputs === 'digest-only' && policyApplies(policy, { deployment }))
    .map((policy) => policy.metadata.name);
}

/**
 * Every prediction of a batch that carries a raw output where the
 * deployment's policies allow only digests, by field path; empty when
 * `policyNames` is (no such policy applies).
 */
export function rawOutputProblems(
  predictions: ReadonlyArray<{ output?: unknown }>,
  policyNames: readonly string[],
): ValidationProblem[] {
  if (policyNames.length === 0) return [];
  const problem = `raw outputs are not recorded for this deployment (policy ${policyNames.join(', ')}: outputs digest-only); send outputDigest instead`;
  return predictions.flatMap((prediction, index) =>
    prediction.output === undefined ? [] : [{ path: `predictions[${index}].output`, problem }],
  );
}
