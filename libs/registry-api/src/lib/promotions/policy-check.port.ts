import type { PolicyEvaluation, ProvenancePolicy } from '@prov/governance';

/**
 * Evaluates a policy against a model version's lineage as the platform's
 * views hold it. The registry does not hold those views (the projector
 * writes them, the gateway serves them), so it asks through this port; a
 * check that cannot be made throws a ServiceUnavailableError.
 */
export interface PolicyCheck {
  evaluate(modelVersionId: string, policy: ProvenancePolicy, approver: string): Promise<PolicyEvaluation>;
}

export const POLICY_CHECK = Symbol('PolicyCheck');
export const PROMOTION_POLICIES = Symbol('PromotionPolicies');

/** Where the policies of promotions come from (a PolicyCatalog of PROV_POLICY_DIR). */
export interface PromotionPolicies {
  all(): ProvenancePolicy[];
}
