import { SLICE_ROLES, type ModelStage, type TrainingInput } from '@prov/contracts';
import type { DatasetNode, DatasetVersionNode, SliceNode } from './dataset.projection';
import type { EvaluationNode } from './evaluation.projection';
import { assessCompleteness } from './lineage-completeness';
import { keyedFacts } from './lineage-graph';
import type { ModelClosureFacts } from './model-closure.reader';
import type {
  DatasetPart,
  DatasetVersionPart,
  EvaluationPart,
  ModelLineageDocument,
  ModelVersionPart,
  PipelinePart,
  RunPart,
  SlicePart,
  SliceUse,
} from './model-lineage.document';
import type { ModelVersionNode } from './model-version.projection';
import type { PipelineNode } from './pipeline.projection';
import { compareText, sortedRoles, sortedUnique } from './ordering';
import { runSeeds, type TrainingRunNode } from './training-run.projection';

/**
 * The lineage document of one model version, from stored facts only, with
 * every array in a fixed order: the same facts give the same document
 * whatever order they arrived in. Null for a model version that is only
 * referenced (by predictions, a deployment) and not registered.
 */
export function assembleModelLineage(modelVersionId: string, facts: ModelClosureFacts): ModelLineageDocument | null {
  const model = facts.models.get(modelVersionId);
  const modelVersion = model ? modelVersionPart(model) : null;
  if (!modelVersion) return null;
  const run = runPart(facts.runs.get(modelVersion.runId));
  const pipeline = run ? pipelinePart(facts.pipelines.get(run.pipelineId)) : null;
  const slices = run ? sliceParts(run.inputs, facts.slices) : [];
  const datasetVersionIds = sortedUnique(slices.flatMap((slice) => slice.datasetVersionId ?? []));
  const datasetVersions = datasetVersionIds.map((id) => datasetVersionPart(id, facts.datasetVersions.get(id)));
  const datasetIds = sortedUnique(datasetVersions.flatMap((version) => version.datasetId ?? []));
  const datasets = datasetIds.map((id) => datasetPart(id, facts.datasets.get(id)));
  const evaluations = (facts.evaluationsByModel.get(modelVersionId) ?? [])
    .flatMap(evaluationPart)
    .sort((a, b) => compareText(a.sliceId, b.sliceId) || compareText(a.id, b.id));
  const parts = { run, pipeline, slices, datasetVersions, evaluations };
  return {
    _id: modelVersionId,
    modelVersion,
    ...parts,
    datasets,
    deploymentIds: sortedUnique(facts.deploymentIdsByModel.get(modelVersionId) ?? []),
    runId: modelVersion.runId,
    pipelineId: run?.pipelineId ?? null,
    sliceIds: slices.map((slice) => slice.id),
    datasetVersionIds,
    flaggedSliceIds: slices.filter((slice) => slice.flagged).map((slice) => slice.id),
    completeness: assessCompleteness(parts),
  };
}

function modelVersionPart(node: ModelVersionNode): ModelVersionPart | null {
  if (!node.definition) return null;
  const { modelVersionId, name, version, runId, artifact, event } = node.definition;
  const decisions = keyedFacts(node.decisions);
  const revocations = keyedFacts(node.revocations);
  // A refused promotion leaves the stage where it was.
  const stageSetting = decisions.filter((decision) => decision.type !== 'model.promotion.rejected');
  const stage: ModelStage | null = stageSetting.length ? stageSetting[stageSetting.length - 1].stage : null;
  return {
    id: modelVersionId,
    name,
    version,
    runId,
    artifact: { uri: artifact.uri, digest: artifact.digest, partCount: artifact.parts?.length ?? null },
    event,
    stage,
    decisions,
    revoked: revocations.length > 0,
    revocations,
  };
}

function runPart(node: TrainingRunNode | undefined): RunPart | null {
  if (!node?.definition) return null;
  const { runId, pipelineId, inputs, hyperparameters, seeds, codeCommit, environment, startedAt, owner, event } =
    node.definition;
  return {
    id: runId,
    pipelineId,
    inputs,
    hyperparameters,
    seeds: runSeeds(seeds, node.completion),
    codeCommit,
    environment,
    startedAt,
    owner: owner ?? null,
    event,
    completion: node.completion ?? null,
  };
}

function pipelinePart(node: PipelineNode | undefined): PipelinePart | null {
  if (!node?.definition) return null;
  const { pipelineId, name, version, codeDigest, steps, features, event } = node.definition;
  return { id: pipelineId, name, version, codeDigest, steps, features: features ?? [], event };
}

function sliceParts(inputs: TrainingInput[], slices: Map<string, SliceNode>): SlicePart[] {
  const usesBySlice = new Map<string, SliceUse[]>();
  for (const { sliceId, role, samplingFraction } of inputs) {
    usesBySlice.set(sliceId, [
      ...(usesBySlice.get(sliceId) ?? []),
      { role, samplingFraction: samplingFraction ?? null },
    ]);
  }
  return [...usesBySlice.keys()].sort(compareText).map((id) => {
    const uses = (usesBySlice.get(id) ?? []).sort(byRoleThenFraction);
    const node = slices.get(id);
    const definition = node?.definition;
    const flags = keyedFacts(node?.flags);
    return {
      id,
      known: definition !== undefined,
      datasetVersionId: definition?.datasetVersionId ?? null,
      criteria: definition?.criteria ?? null,
      labels: definition?.labels ?? null,
      contentDigest: definition?.contentDigest ?? null,
      rowCount: definition?.rowCount ?? null,
      roles: sortedRoles(uses.map((use) => use.role)),
      uses,
      flags,
      flagged: flags.length > 0,
      event: definition?.event ?? null,
    };
  });
}

function byRoleThenFraction(a: SliceUse, b: SliceUse): number {
  return (
    SLICE_ROLES.indexOf(a.role) - SLICE_ROLES.indexOf(b.role) || (a.samplingFraction ?? -1) - (b.samplingFraction ?? -1)
  );
}

function datasetVersionPart(id: string, node: DatasetVersionNode | undefined): DatasetVersionPart {
  const definition = node?.definition;
  return {
    id,
    known: definition !== undefined,
    datasetId: definition?.datasetId ?? null,
    rowCount: definition?.rowCount ?? null,
    source: definition?.source ?? null,
    tags: definition?.tags ?? null,
    partCount: definition?.parts.length ?? null,
    event: definition?.event ?? null,
  };
}

function datasetPart(id: string, node: DatasetNode | undefined): DatasetPart {
  const definition = node?.definition;
  return {
    id,
    known: definition !== undefined,
    namespace: definition?.namespace ?? null,
    name: definition?.name ?? null,
    owner: definition?.owner ?? null,
    description: definition?.description ?? null,
    classification: definition?.classification ?? null,
    event: definition?.event ?? null,
  };
}

function evaluationPart(node: EvaluationNode): EvaluationPart[] {
  if (!node.definition) return [];
  const { evaluationId, sliceId, metrics, event } = node.definition;
  return [{ id: evaluationId, sliceId, metrics, event }];
}
