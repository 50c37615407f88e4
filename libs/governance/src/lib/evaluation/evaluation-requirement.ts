import { SLICE_ROLES, type SliceRole } from '@prov/contracts';
import type { EvaluationPart, ModelLineageDocument } from '@prov/projections';
import type { RequiredEvaluation } from '../policy/provenance-policy.document';
import { requirementOutcome, unknownRun, type RequirementOutcome } from './requirement-outcome';

/**
 * `evaluation.<slice>.<metric>`: the model version was evaluated on the
 * slice (every input slice of that role, when a role is named) and every
 * evaluation there that measured the metric is within bounds. Every one, not
 * the latest: a later evaluation does not hide an earlier failing one, the
 * log keeps both.
 */
export function evaluationRequirement(
  lineage: ModelLineageDocument,
  { slice, metric, min, max }: RequiredEvaluation,
): RequirementOutcome {
  return requirementOutcome(`evaluation.${slice}.${metric}`, evaluationProblems(lineage, slice, metric, min, max));
}

function evaluationProblems(
  lineage: ModelLineageDocument,
  selector: string,
  metric: string,
  min: number | undefined,
  max: number | undefined,
): string[] {
  const role = isSliceRole(selector) ? selector : undefined;
  if (role && !lineage.run) return [`${unknownRun(lineage.runId)}, nor are its ${role} slices`];
  const sliceIds = role
    ? lineage.slices.filter((slice) => slice.roles.includes(role)).map((slice) => slice.id)
    : [selector];
  if (sliceIds.length === 0) return [`the run has no ${role} slice`];
  return sliceIds.flatMap((sliceId) => {
    const name = role ? `${role} slice ${sliceId}` : `slice ${sliceId}`;
    const onSlice = lineage.evaluations.filter((evaluation) => evaluation.sliceId === sliceId);
    if (onSlice.length === 0) return [`no evaluation on ${name}`];
    const measured = onSlice.filter((evaluation) => Object.hasOwn(evaluation.metrics, metric));
    if (measured.length === 0) return [`no evaluation on ${name} records ${metric}`];
    return measured.flatMap((evaluation) => boundProblems(evaluation, metric, name, min, max));
  });
}

function boundProblems(
  evaluation: EvaluationPart,
  metric: string,
  name: string,
  min: number | undefined,
  max: number | undefined,
): string[] {
  const value = evaluation.metrics[metric];
  const measured = `${metric} ${value} on ${name} (${evaluation.id})`;
  if (min !== undefined && value < min) return [`${measured} is below the minimum ${min}`];
  if (max !== undefined && value > max) return [`${measured} is above the maximum ${max}`];
  return [];
}

function isSliceRole(selector: string): selector is SliceRole {
  return (SLICE_ROLES as readonly string[]).includes(selector);
}
