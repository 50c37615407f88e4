import type { SliceRole } from '@prov/contracts';
import type { SliceFlag, SliceNode } from './dataset.projection';
import type { DeploymentNode, DeploymentRevision } from './deployment.projection';
import { keyedFacts } from './lineage-graph';
import { edgesInto, readNodes, sourcesByTarget } from './lineage-graph.reader';
import type { ModelVersionNode } from './model-version.projection';
import { compareInstants, compareText, sortedRoles, sortedUnique } from './ordering';
import type { TrainingRunNode } from './training-run.projection';
import type { ViewDocument, ViewReader, ViewWrite } from './view-store.port';

/**
 * `slice_impact`: what a slice reached downstream, for the question "which
 * models and deployments did this (perhaps faulty) slice touch, and when?".
 * Prediction counts are summed from `prediction_batches` when asked, so the
 * hot prediction path never rewrites these documents.
 */
export interface SliceImpactDocument extends ViewDocument {
  /** Null while the slice's definition has not arrived. */
  datasetVersionId: string | null;
  flagged: boolean;
  flags: SliceFlag[];
  /** Registered model versions trained by runs that read the slice, by id. */
  modelVersions: Array<{ id: string; runId: string; roles: SliceRole[] }>;
  /** Deployments that served those models, by id, with the windows in which they did. */
  deployments: Array<{ id: string; modelVersionIds: string[]; windows: ServingWindow[] }>;
}

/** A deployment served `modelVersionId` from `from` until `to` (its next revision), or still does (`to: null`). */
export interface ServingWindow {
  modelVersionId: string;
  from: string;
  to: string | null;
}

/** The `replace` of every slice still known (as a node, or used by a run), the `delete` of the others. */
export async function sliceImpactWrites(sliceIds: ReadonlySet<string>, views: ViewReader): Promise<ViewWrite[]> {
  if (sliceIds.size === 0) return [];
  const facts = await readSliceImpactFacts([...sliceIds], views);
  return [...sliceIds].sort(compareText).map((sliceId): ViewWrite => {
    const doc = assembleSliceImpact(sliceId, facts);
    return doc
      ? { op: 'replace', view: 'slice_impact', id: sliceId, doc }
      : { op: 'delete', view: 'slice_impact', id: sliceId };
  });
}

export interface SliceImpactFacts {
  slices: Map<string, SliceNode>;
  runs: Map<string, TrainingRunNode>;
  models: Map<string, ModelVersionNode>;
  deployments: Map<string, DeploymentNode>;
  runIdsBySlice: Map<string, string[]>;
  modelIdsByRun: Map<string, string[]>;
  deploymentIdsByModel: Map<string, string[]>;
}

async function readSliceImpactFacts(sliceIds: string[], views: ViewReader): Promise<SliceImpactFacts> {
  const [slices, used] = await Promise.all([readNodes<SliceNode>(views, sliceIds), edgesInto(views, sliceIds, 'used')]);
  const runIdsBySlice = sourcesByTarget(used);
  const runIds = used.map((edge) => edge.from);
  const [runs, trainedBy] = await Promise.all([
    readNodes<TrainingRunNode>(views, runIds),
    edgesInto(views, runIds, 'trained-by'),
  ]);
  const modelIds = trainedBy.map((edge) => edge.from);
  const [models, serves] = await Promise.all([
    readNodes<ModelVersionNode>(views, modelIds),
    edgesInto(views, modelIds, 'serves'),
  ]);
  const deployments = await readNodes<DeploymentNode>(
    views,
    serves.map((edge) => edge.from),
  );
  return {
    slices,
    runs,
    models,
    deployments,
    runIdsBySlice,
    modelIdsByRun: sourcesByTarget(trainedBy),
    deploymentIdsByModel: sourcesByTarget(serves),
  };
}

/**
 * Edges only propose candidates; the current definitions decide, so a link
 * a superseded definition named no longer counts.
 */
export function assembleSliceImpact(sliceId: string, facts: SliceImpactFacts): SliceImpactDocument | null {
  const slice = facts.slices.get(sliceId);
  const modelVersions: SliceImpactDocument['modelVersions'] = [];
  let usedByRun = false;
  for (const runId of sortedUnique(facts.runIdsBySlice.get(sliceId) ?? [])) {
    const inputs = facts.runs.get(runId)?.definition?.inputs.filter((input) => input.sliceId === sliceId) ?? [];
    if (inputs.length === 0) continue;
    usedByRun = true;
    const roles = sortedRoles(inputs.map((input) => input.role));
    for (const modelVersionId of sortedUnique(facts.modelIdsByRun.get(runId) ?? [])) {
      if (facts.models.get(modelVersionId)?.definition?.runId === runId) {
        modelVersions.push({ id: modelVersionId, runId, roles });
      }
    }
  }
  if (!slice && !usedByRun) return null;
  modelVersions.sort((a, b) => compareText(a.id, b.id));
  const trained = new Set(modelVersions.map((model) => model.id));
  const deploymentIds = sortedUnique([...trained].flatMap((id) => facts.deploymentIdsByModel.get(id) ?? []));
  const deployments = deploymentIds.flatMap((id) => {
    const windows = servingWindows(facts.deployments.get(id)).filter((window) => trained.has(window.modelVersionId));
    if (windows.length === 0) return [];
    return [{ id, modelVersionIds: sortedUnique(windows.map((window) => window.modelVersionId)), windows }];
  });
  const flags = keyedFacts(slice?.flags);
  return {
    _id: sliceId,
    datasetVersionId: slice?.definition?.datasetVersionId ?? null,
    flagged: flags.length > 0,
    flags,
    modelVersions,
    deployments,
  };
}

/** Revisions in effective order (then trusted time): each serves until the next one takes effect. */
export function servingWindows(deployment: DeploymentNode | undefined): ServingWindow[] {
  const revisions = Object.values(deployment?.revisions ?? {}).sort(byEffectiveFrom);
  return revisions.map((revision, index) => ({
    modelVersionId: revision.modelVersionId,
    from: revision.effectiveFrom,
    to: revisions[index + 1]?.effectiveFrom ?? null,
  }));
}

function byEffectiveFrom(a: DeploymentRevision, b: DeploymentRevision): number {
  return (
    compareInstants(a.effectiveFrom, b.effectiveFrom) ||
    compareText(a.event.recordedAt, b.event.recordedAt) ||
    compareText(a.event.eventId, b.event.eventId)
  );
}
