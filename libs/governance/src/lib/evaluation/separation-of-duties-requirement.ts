import type { ModelLineageDocument } from '@prov/projections';
import { requirementOutcome, type RequirementOutcome } from './requirement-outcome';

/**
 * `separationOfDuties`: the approver is someone other than whoever made the
 * model (DESIGN.md §6), by authenticated identity: the principal whose API
 * key recorded the run that trained it, whatever the run's payload names,
 * and the run's declared owner; with `modelRegistrar`, also the principal
 * that registered the model version. Not satisfied without an approver, nor
 * while the run is unknown, since then nobody can be shown to differ.
 */
export function separationOfDutiesRequirement(
  lineage: ModelLineageDocument,
  approver: string | undefined,
  options: { modelRegistrar?: boolean } = {},
): RequirementOutcome {
  const problems: string[] = [];
  if (approver === undefined) problems.push('no approver was given');
  else if (!lineage.run)
    problems.push(`run ${lineage.runId} is not recorded, so the approver cannot be shown to differ from who ran it`);
  else {
    const recorder = lineage.run.event.producer.principal;
    if (approver === recorder) problems.push(`the approver ${approver} recorded run ${lineage.runId}`);
    else if (approver === lineage.run.owner)
      problems.push(`the approver ${approver} is the owner of run ${lineage.runId}`);
    if (options.modelRegistrar && approver === lineage.modelVersion.event.producer.principal)
      problems.push(`the approver ${approver} registered model version ${lineage.modelVersion.id}`);
  }
  return requirementOutcome('separationOfDuties', problems);
}
