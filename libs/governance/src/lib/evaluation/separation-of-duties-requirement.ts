import type { ModelLineageDocument } from '@prov/projections';
import { requirementOutcome, type RequirementOutcome } from './requirement-outcome';

/**
 * `separationOfDuties`: the approver is someone other than the owner of the
 * run that trained the model (DESIGN.md §6). Not satisfied without an
 * approver, nor when the owner is unknown, since then nobody can be shown to differ.
 */
export function separationOfDutiesRequirement(
  lineage: ModelLineageDocument,
  approver: string | undefined,
): RequirementOutcome {
  const owner = lineage.run?.owner ?? null;
  let problem: string | undefined;
  if (approver === undefined) problem = 'no approver was given';
  else if (owner === null)
    problem = `the owner of run ${lineage.runId} is unknown, so the approver cannot be shown to differ`;
  else if (approver === owner) problem = `the approver ${approver} is the owner of run ${lineage.runId}`;
  return requirementOutcome('separationOfDuties', problem ? [problem] : []);
}
