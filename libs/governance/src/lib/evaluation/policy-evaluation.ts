import type { ModelLineageDocument } from '@prov/projections';
import { policyDigest } from '../policy/policy-digest';
import type { ProvenancePolicy } from '../policy/provenance-policy.document';
import { evaluationRequirement } from './evaluation-requirement';
import { fieldRequirement } from './field-requirement';
import { flaggedSlicesRequirement } from './flagged-slices-requirement';
import { requirementOutcome, type RequirementOutcome } from './requirement-outcome';
import { separationOfDutiesRequirement } from './separation-of-duties-requirement';

export interface EvaluationContext {
  /** Who approves the promotion being checked. */
  approver?: string;
}

/** Whether a model version's lineage satisfies a policy, requirement by requirement. */
export interface PolicyEvaluation {
  policy: { name: string; digest: string };
  modelVersionId: string;
  satisfied: boolean;
  /** In a fixed order: level, fields, evaluations, slices, separation of duties. */
  requirements: RequirementOutcome[];
}

/**
 * Checks a model version's lineage against a policy: the answer to "is the
 * lineage of this model complete enough, under the declared policy, to
 * promote it?". Pure; the caller chooses the policy (policyApplies) and
 * records the outcome (`model.promoted` or `model.promotion.rejected`).
 */
export function evaluatePolicy(
  lineage: ModelLineageDocument,
  policy: ProvenancePolicy,
  context: EvaluationContext = {},
): PolicyEvaluation {
  const { captureLevel, requiredFields, requiredEvaluations, forbidFlaggedSlices, separationOfDuties } = policy.spec;
  const level = lineage.completeness[captureLevel];
  const requirements = [
    requirementOutcome(`level.${captureLevel}`, level.complete ? [] : [`missing ${level.missing.join(', ')}`]),
    ...(requiredFields ?? []).map((field) => fieldRequirement(lineage, field)),
    ...(requiredEvaluations ?? []).map((required) => evaluationRequirement(lineage, required)),
    ...(forbidFlaggedSlices ? [flaggedSlicesRequirement(lineage, forbidFlaggedSlices)] : []),
    ...(separationOfDuties
      ? [
          separationOfDutiesRequirement(lineage, context.approver, {
            modelRegistrar: typeof separationOfDuties === 'object' && separationOfDuties.modelRegistrar,
          }),
        ]
      : []),
  ];
  return {
    policy: { name: policy.metadata.name, digest: policyDigest(policy) },
    modelVersionId: lineage.modelVersion.id,
    satisfied: requirements.every((requirement) => requirement.satisfied),
    requirements,
  };
}
