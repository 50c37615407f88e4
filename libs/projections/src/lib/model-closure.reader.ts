import type { DatasetNode, DatasetVersionNode, SliceNode } from './dataset.projection';
import type { EvaluationNode } from './evaluation.projection';
import { edgesInto, readNodes, sourcesByTarget } from './lineage-graph.reader';
import type { ModelVersionNode } from './model-version.projection';
import type { PipelineNode } from './pipeline.projection';
import type { TrainingRunNode } from './training-run.projection';
import type { ViewReader } from './view-store.port';

/** The stored facts the lineage of some model versions is assembled from. */
export interface ModelClosureFacts {
  models: Map<string, ModelVersionNode>;
  runs: Map<string, TrainingRunNode>;
  pipelines: Map<string, PipelineNode>;
  slices: Map<string, SliceNode>;
  datasetVersions: Map<string, DatasetVersionNode>;
  datasets: Map<string, DatasetNode>;
  /** Evaluations whose definition names the model version (edges of a superseded definition are ignored). */
  evaluationsByModel: Map<string, EvaluationNode[]>;
  deploymentIdsByModel: Map<string, string[]>;
}

/**
 * Reads the upstream closure of many model versions level by level: a
 * handful of batched point reads and indexed edge queries per projection
 * batch, however many models it touched.
 */
export async function readModelClosures(
  modelVersionIds: ReadonlySet<string>,
  views: ViewReader,
): Promise<ModelClosureFacts> {
  const ids = [...modelVersionIds];
  const [models, evaluationEdges, servingEdges] = await Promise.all([
    readNodes<ModelVersionNode>(views, ids),
    edgesInto(views, ids, 'evaluates'),
    edgesInto(views, ids, 'serves'),
  ]);
  const [runs, evaluations] = await Promise.all([
    readNodes<TrainingRunNode>(
      views,
      [...models.values()].flatMap((m) => (m.definition ? [m.definition.runId] : [])),
    ),
    readNodes<EvaluationNode>(
      views,
      evaluationEdges.map((edge) => edge.from),
    ),
  ]);
  const runDefinitions = [...runs.values()].flatMap((run) => (run.definition ? [run.definition] : []));
  const [pipelines, slices] = await Promise.all([
    readNodes<PipelineNode>(
      views,
      runDefinitions.map((run) => run.pipelineId),
    ),
    readNodes<SliceNode>(
      views,
      runDefinitions.flatMap((run) => run.inputs.map((input) => input.sliceId)),
    ),
  ]);
  const datasetVersions = await readNodes<DatasetVersionNode>(
    views,
    [...slices.values()].flatMap((slice) => (slice.definition ? [slice.definition.datasetVersionId] : [])),
  );
  const datasets = await readNodes<DatasetNode>(
    views,
    [...datasetVersions.values()].flatMap((version) => (version.definition ? [version.definition.datasetId] : [])),
  );
  const evaluationsByModel = new Map<string, EvaluationNode[]>();
  for (const evaluation of evaluations.values()) {
    const modelVersionId = evaluation.definition?.modelVersionId;
    if (modelVersionId)
      evaluationsByModel.set(modelVersionId, [...(evaluationsByModel.get(modelVersionId) ?? []), evaluation]);
  }
  const deploymentIdsByModel = sourcesByTarget(servingEdges);
  return { models, runs, pipelines, slices, datasetVersions, datasets, evaluationsByModel, deploymentIdsByModel };
}
