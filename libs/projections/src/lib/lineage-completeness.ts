import type { LineageCompleteness, ModelLineageDocument } from './model-lineage.document';

type LineageParts = Pick<ModelLineageDocument, 'run' | 'pipeline' | 'slices' | 'datasetVersions' | 'evaluations'>;

/**
 * What the capture levels ask of a lineage. `standard`: the run, its
 * pipeline, at least one input slice, and every input slice and its dataset
 * version known. `full` adds hyperparameters, seeds, the environment, the
 * fraction the run sampled of every slice that is itself a sample, and
 * per-slice metrics: an evaluation on every validation or test input (or at
 * least one evaluation when the run names none).
 */
export function assessCompleteness(lineage: LineageParts): LineageCompleteness {
  const standard = missingForStandard(lineage);
  const full = [...standard, ...missingForFull(lineage)];
  return {
    standard: { complete: standard.length === 0, missing: standard },
    full: { complete: full.length === 0, missing: full },
  };
}

/** The part of `standard` that is the data lineage proper (what `model.no-data-lineage` reports). */
export function missingDataLineage(lineage: LineageParts): string[] {
  return missingForStandard(lineage).filter((path) => path !== 'pipeline');
}

function missingForStandard({ run, pipeline, slices, datasetVersions }: LineageParts): string[] {
  // Without the run nothing upstream of the model can be named yet.
  if (!run) return ['run', 'pipeline', 'slices'];
  const missing: string[] = [];
  if (!pipeline) missing.push('pipeline');
  if (slices.length === 0) missing.push('slices');
  for (const slice of slices) if (!slice.known) missing.push(`slices[${slice.id}]`);
  for (const version of datasetVersions) if (!version.known) missing.push(`datasetVersions[${version.id}]`);
  return missing;
}

function missingForFull({ run, slices, evaluations }: LineageParts): string[] {
  const missing: string[] = [];
  if (run) {
    if (Object.keys(run.hyperparameters).length === 0) missing.push('run.hyperparameters');
    if (Object.keys(run.seeds).length === 0) missing.push('run.seeds');
    const { imageDigest, libraries } = run.environment;
    if (!imageDigest && Object.keys(libraries ?? {}).length === 0) missing.push('run.environment');
  }
  for (const slice of slices) {
    if (slice.criteria?.sampling && slice.uses.some((use) => use.samplingFraction === null)) {
      missing.push(`slices[${slice.id}].samplingFraction`);
    }
  }
  const heldOut = slices.filter((slice) => slice.roles.some((role) => role !== 'train'));
  const evaluated = new Set(evaluations.map((evaluation) => evaluation.sliceId));
  if (heldOut.length === 0) {
    if (evaluations.length === 0) missing.push('evaluations');
  } else {
    for (const slice of heldOut) if (!evaluated.has(slice.id)) missing.push(`evaluations[${slice.id}]`);
  }
  return missing;
}
