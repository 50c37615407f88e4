/** One thing a policy checked, under a stable name (`level.full`, `field.seeds`, `evaluation.validation.auc`, ...). */
export interface RequirementOutcome {
  requirement: string;
  satisfied: boolean;
  /** Why it is not satisfied; absent when it is. */
  problem?: string;
}

/** Satisfied when nothing is wrong; otherwise every problem, in the order found. */
export function requirementOutcome(requirement: string, problems: readonly string[]): RequirementOutcome {
  return problems.length === 0
    ? { requirement, satisfied: true }
    : { requirement, satisfied: false, problem: problems.join('; ') };
}

/** What a field or evaluation cannot be told without: the run that trained the model. */
export function unknownRun(runId: string): string {
  return `training run ${runId} is not known`;
}
