import type { ProvenancePolicy } from './provenance-policy.document';

export interface PolicyTarget {
  /** A deployment's name, or its id `deployment:<name>`. */
  deployment?: string;
  /** A model's name (the `<name>` of `model:<name>@<version>`). */
  modelName?: string;
}

const DEPLOYMENT_ID_PREFIX = 'deployment:';

/** Whether a policy is for a target: it is when it has no `appliesTo`, or either list names the target. */
export function policyApplies(policy: ProvenancePolicy, { deployment, modelName }: PolicyTarget): boolean {
  const scope = policy.spec.appliesTo;
  if (!scope) return true;
  const deploymentName = deployment?.startsWith(DEPLOYMENT_ID_PREFIX)
    ? deployment.slice(DEPLOYMENT_ID_PREFIX.length)
    : deployment;
  return (
    (deploymentName !== undefined && (scope.deployments ?? []).includes(deploymentName)) ||
    (modelName !== undefined && (scope.models ?? []).includes(modelName))
  );
}
