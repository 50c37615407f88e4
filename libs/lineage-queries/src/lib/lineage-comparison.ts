import type { ModelLineageDocument, ViewReader } from '@prov/projections';
import { servingOfDeployment } from './deployment-serving.query';
import { codeUnitOrder } from './ordering';

/** One path at which two lineages differ; `null` on the side that lacks it. */
export interface LineageDifference {
  path: string;
  left: unknown;
  right: unknown;
}

export interface LineageComparison {
  /** Both were trained on the same slices (in the same roles and fractions) of the same dataset versions. */
  sameDataSnapshot: boolean;
  differences: LineageDifference[];
}

/**
 * The model lineage a compare operand names: a model version's own, or the
 * one of the model version a deployment serves now (its open window).
 */
export async function resolveLineage(views: ViewReader, id: string): Promise<ModelLineageDocument | undefined> {
  let modelVersionId: string | null | undefined = id;
  if (id.startsWith('deployment:')) {
    modelVersionId = (await servingOfDeployment(views, id))?.modelVersionId;
    if (!modelVersionId) return undefined;
  }
  return (await views.get('model_lineage', [modelVersionId])).get(modelVersionId) as ModelLineageDocument | undefined;
}

/**
 * Path-level differences in data, pipeline and run configuration, in a fixed
 * section order and code-unit key order within each, so the answer is stable.
 */
export function compareLineages(left: ModelLineageDocument, right: ModelLineageDocument): LineageComparison {
  const a = comparable(left);
  const b = comparable(right);
  const differences: LineageDifference[] = [];
  for (const section of SECTIONS) diffValues(section, a[section], b[section], differences);
  const dataDiffers = differences.some((d) => d.path.startsWith('slices') || d.path.startsWith('datasetVersions'));
  const dataKnown = [left, right].every((lineage) => lineage.slices.length > 0);
  return { sameDataSnapshot: dataKnown && !dataDiffers, differences };
}

const SECTIONS = ['slices', 'datasetVersions', 'pipeline', 'run'] as const;

type Comparable = Record<(typeof SECTIONS)[number], unknown>;

function comparable(lineage: ModelLineageDocument): Comparable {
  const { run, pipeline } = lineage;
  return {
    // Slice and dataset version ids are content digests: equal ids mean equal data.
    slices: Object.fromEntries(lineage.slices.map((slice) => [slice.id, { roles: slice.roles, uses: slice.uses }])),
    datasetVersions: Object.fromEntries(
      lineage.datasetVersions.map((version) => [version.id, { datasetId: version.datasetId }]),
    ),
    pipeline: pipeline && {
      id: pipeline.id,
      codeDigest: pipeline.codeDigest,
      steps: pipeline.steps,
      features: pipeline.features,
    },
    run: run && {
      codeCommit: run.codeCommit,
      hyperparameters: run.hyperparameters,
      seeds: run.seeds,
      environment: run.environment,
    },
  };
}

function diffValues(path: string, left: unknown, right: unknown, out: LineageDifference[]): void {
  if (isRecord(left) && isRecord(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort(codeUnitOrder);
    for (const key of keys) diffValues(memberPath(path, key), left[key] ?? null, right[key] ?? null, out);
    return;
  }
  if (Array.isArray(left) && Array.isArray(right) && left.length === right.length) {
    left.forEach((element, index) => diffValues(`${path}[${index}]`, element, right[index], out));
    return;
  }
  // Only scalars, or values of different shapes, are left here.
  if (left !== right) out.push({ path, left, right });
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `a.b` for identifier keys, `a["k.e y"]` for any other (user map keys, entity ids). */
export function memberPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
