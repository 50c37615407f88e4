import type { ModelLineageDocument, RunPart } from '@prov/projections';
import type { RequiredField } from '../policy/provenance-policy.document';
import { requirementOutcome, unknownRun, type RequirementOutcome } from './requirement-outcome';

/**
 * How each `requiredFields` entry reads the lineage. Where a field is also
 * part of a capture level it means what that level means
 * (lineage-completeness.ts of libs/projections), so a `standard` policy can
 * ask for one piece of `full` and get the same verdict on it:
 *
 * - `seeds`: `run.seeds` has at least one seed.
 * - `hyperparameters`: `run.hyperparameters` has at least one entry.
 * - `environment`: `run.environment` names an image digest or library versions.
 * - `pipeline`: the run's pipeline is registered (`pipeline` is not null).
 * - `slices`: the run names input slices and every one is defined (`slices[].known`).
 * - `datasetVersion`: every input slice's dataset version is registered (`datasetVersions[].known`).
 * - `samplingFractions`: every use of an input slice that is itself a sample
 *   (`criteria.sampling`), or whose definition is unknown, records the fraction the run sampled.
 * - `runCompleted`: the run completed and succeeded (`run.completion.status`).
 */
export function fieldRequirement(lineage: ModelLineageDocument, field: RequiredField): RequirementOutcome {
  const { run } = lineage;
  return requirementOutcome(`field.${field}`, run ? FIELD_PROBLEMS[field](lineage, run) : [unknownRun(lineage.runId)]);
}

type FieldProblems = (lineage: ModelLineageDocument, run: RunPart) => string[];

const FIELD_PROBLEMS: Record<RequiredField, FieldProblems> = {
  seeds: (_lineage, run) => (Object.keys(run.seeds).length > 0 ? [] : ['the run records no seeds']),
  hyperparameters: (_lineage, run) =>
    Object.keys(run.hyperparameters).length > 0 ? [] : ['the run records no hyperparameters'],
  environment: (_lineage, { environment }) =>
    environment.imageDigest || Object.keys(environment.libraries ?? {}).length > 0
      ? []
      : ['the run records neither an image digest nor library versions'],
  pipeline: ({ pipeline }, run) => (pipeline ? [] : [`pipeline ${run.pipelineId} is not registered`]),
  slices: ({ slices }) => {
    if (slices.length === 0) return ['the run names no input slices'];
    return slices.filter((slice) => !slice.known).map((slice) => `slice ${slice.id} is not defined`);
  },
  datasetVersion: ({ slices, datasetVersions }) => {
    if (slices.length === 0) return ['the run names no input slices'];
    return [
      ...slices
        .filter((slice) => !slice.known)
        .map((slice) => `the dataset version of slice ${slice.id} is unknown (the slice is not defined)`),
      ...datasetVersions
        .filter((version) => !version.known)
        .map((version) => `dataset version ${version.id} is not registered`),
    ];
  },
  samplingFractions: ({ slices }) =>
    slices.flatMap((slice) =>
      slice.uses
        .filter((use) => use.samplingFraction === null && (!slice.known || slice.criteria?.sampling))
        .map(
          (use) =>
            `the run records no sampling fraction of slice ${slice.id} (${use.role}), ${
              slice.known ? 'which is a sample' : 'whose definition is unknown'
            }`,
        ),
    ),
  runCompleted: (_lineage, { completion }) => {
    if (!completion) return ['the run has not completed'];
    return completion.status === 'succeeded' ? [] : [`the run ended ${completion.status} at ${completion.endedAt}`];
  },
};
