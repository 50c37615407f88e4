import { FLAG_SEVERITIES, type FlagSeverity } from '@prov/contracts';
import type { ModelLineageDocument } from '@prov/projections';
import type { FlaggedSliceRule } from '../policy/provenance-policy.document';
import { requirementOutcome, type RequirementOutcome } from './requirement-outcome';

/** `slices.unflagged`: no input slice carries a flag at the threshold or worse (`true`: any flag). */
export function flaggedSlicesRequirement(
  lineage: ModelLineageDocument,
  rule: true | FlaggedSliceRule,
): RequirementOutcome {
  const threshold = severityRank(rule === true ? FLAG_SEVERITIES[0] : rule.minSeverity);
  const problems = lineage.slices.flatMap((slice) =>
    slice.flags
      .filter((flag) => severityRank(flag.severity) >= threshold)
      .map((flag) => `slice ${slice.id} is flagged ${flag.severity}: ${flag.reason}`),
  );
  return requirementOutcome('slices.unflagged', problems);
}

function severityRank(severity: FlagSeverity): number {
  return FLAG_SEVERITIES.indexOf(severity);
}
