import type { CurrentPayloads, ModelStage, PolicyFailure } from '@prov/contracts';
import type { PolicyEvaluation } from '@prov/governance';

type DecisionEvent =
  | { type: 'model.stage.changed'; payload: CurrentPayloads['model.stage.changed'] }
  | { type: 'model.promoted'; payload: CurrentPayloads['model.promoted'] }
  | { type: 'model.promotion.rejected'; payload: CurrentPayloads['model.promotion.rejected'] };

export interface StageChange {
  modelVersionId: string;
  stage: ModelStage;
  /** Who asked for it (the caller), checked for separation of duties. */
  approver: string;
}

/** A failing requirement of one policy. */
export interface PromotionFailure extends PolicyFailure {
  policy: string;
}

export interface PromotionDecision {
  accepted: boolean;
  /** What the registry publishes, in order. */
  events: DecisionEvent[];
  /** Every failing requirement of every applicable policy; empty when accepted. */
  failures: PromotionFailure[];
  /** The policies the change was checked against. */
  policies: Array<{ name: string; digest: string }>;
}

/**
 * Decides a stage change from the evaluations of every policy that applies
 * to it. Without any (archiving, or a model no policy names) it is a plain
 * `model.stage.changed`; otherwise every policy must be satisfied, and each
 * is recorded with its digest: `model.promoted` once per policy when all
 * pass, `model.promotion.rejected` once per failing policy (with its failing
 * requirements) when any fails.
 */
export function decidePromotion(change: StageChange, evaluations: readonly PolicyEvaluation[]): PromotionDecision {
  const { modelVersionId, stage, approver } = change;
  const policies = evaluations.map((evaluation) => evaluation.policy);
  if (stage === 'archived' || evaluations.length === 0) {
    return {
      accepted: true,
      events: [{ type: 'model.stage.changed', payload: { modelVersionId, stage, approvedBy: approver } }],
      failures: [],
      policies,
    };
  }
  const failing = evaluations.filter((evaluation) => !evaluation.satisfied);
  if (failing.length === 0) {
    return {
      accepted: true,
      events: evaluations.map((evaluation) => ({
        type: 'model.promoted' as const,
        payload: { modelVersionId, stage, policyDigest: evaluation.policy.digest, approvedBy: approver },
      })),
      failures: [],
      policies,
    };
  }
  const failuresOf = (evaluation: PolicyEvaluation): PolicyFailure[] =>
    evaluation.requirements
      .filter((requirement) => !requirement.satisfied)
      .map(({ requirement, problem }) => ({ requirement, problem: problem ?? 'not satisfied' }));
  return {
    accepted: false,
    events: failing.map((evaluation) => ({
      type: 'model.promotion.rejected' as const,
      payload: { modelVersionId, stage, policyDigest: evaluation.policy.digest, failures: failuresOf(evaluation) },
    })),
    failures: failing.flatMap((evaluation) =>
      failuresOf(evaluation).map((failure) => ({ policy: evaluation.policy.name, ...failure })),
    ),
    policies,
  };
}
