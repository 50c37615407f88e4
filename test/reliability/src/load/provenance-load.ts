import { artifactManifestDigest, dataSliceId, datasetVersionId } from '@prov/integrity';
import type { SliceImpact } from '@prov/lineage-queries';
import { ProvenanceClient } from '@prov/sdk';
import type { ServiceProcesses } from '@prov/testing';
import type { SendRequest } from './steady-load';
import { requestJson } from './steady-load';

/** The lineage the load's predictions and model versions hang from. */
export interface LoadLineage {
  sliceId: string;
  runId: string;
  modelVersionId: string;
  artifactDigest: string;
  deployment: string;
}

const hex = (c: string) => c.repeat(64);

/** Records one slice, run, model version and deployment through the public API, as a team would. */
export async function recordLoadLineage(services: ServiceProcesses, name: string): Promise<LoadLineage> {
  const parts = [{ path: 'part-0.parquet', sizeBytes: 2048, sha256: hex('1') }];
  const dsv = datasetVersionId(parts);
  const criteria = { source: 'reliability', sampling: { fraction: 0.5, seed: 11 } };
  const sliceId = dataSliceId(dsv, criteria);
  const client = (role: 'data-steward' | 'model-engineer') =>
    new ProvenanceClient({
      apiKey: services.tokens[role],
      trainingUrl: services.urls['training-service'],
      registryUrl: services.urls['registry-service'],
      inferenceUrl: services.urls['inference-service'],
    });
  const steward = client('data-steward');
  const engineer = client('model-engineer');
  const dataset = await steward.datasets.register({ namespace: 'reliability', name, owner: 'data@example.com' });
  await steward.datasets.registerVersion(dataset.id, { parts, source: `s3://lake/${name}/` });
  await steward.slices.define({ datasetVersionId: dsv, criteria });
  const pipeline = await engineer.pipelines.register({
    name: `${name}-features`,
    version: '1.0',
    codeDigest: 'git:abc1234',
    steps: [{ name: 'scale', transform: 'StandardScaler' }],
  });
  const run = await engineer.runs.start({
    pipeline: pipeline.id,
    inputs: [{ sliceId, role: 'train' }],
    hyperparameters: { lr: 0.01 },
    seeds: { torch: 7 },
    codeCommit: 'abc1234',
    environment: { imageDigest: `sha256:${hex('d')}` },
    startedAt: '2026-11-25T08:00:00Z',
  });
  await engineer.runs.complete(run.id, { status: 'succeeded', endedAt: '2026-11-25T09:00:00Z', metrics: { auc: 0.9 } });
  const files = [{ path: 'model.onnx', sizeBytes: 10, sha256: hex('8') }];
  const artifactDigest = artifactManifestDigest(files);
  const model = await engineer.models.registerVersion(name, {
    version: '1',
    runId: run.id,
    artifact: { uri: `s3://models/${name}/1/`, digest: artifactDigest, parts: files },
  });
  await engineer.deployments.create({ name, modelVersionId: model.id, endpoint: 'https://svc/predict' });
  return { sliceId, runId: run.id, modelVersionId: model.id, artifactDigest, deployment: name };
}

/**
 * Batches of `size` predictions, ids `<prefix>-<sequence>-<i>`, made by the
 * lineage's deployment; each request waits `timeoutMs` for its answer.
 */
export function predictionBatches(
  services: ServiceProcesses,
  lineage: Pick<LoadLineage, 'deployment' | 'modelVersionId' | 'artifactDigest'>,
  prefix: string,
  size: number,
  timeoutMs?: number,
): SendRequest {
  return async (sequence) => {
    const ids = Array.from({ length: size }, (_, i) => `${prefix}-${sequence}-${i}`);
    const at = new Date().toISOString();
    const outcome = await requestJson(
      `${services.urls['inference-service']}/v1/predictions:batch`,
      services.tokens['ml-service'],
      {
        deployment: lineage.deployment,
        modelVersionId: lineage.modelVersionId,
        artifactDigest: lineage.artifactDigest,
        predictions: ids.map((id) => ({ id, at, inputDigest: `sha256:${hex('3')}` })),
      },
      timeoutMs,
    );
    return { ids: ids.map((id) => `pred:${id}`), ...outcome };
  };
}

/** Dataset registrations (training-service writes), one per request. */
export function datasetRegistrations(services: ServiceProcesses, prefix: string): SendRequest {
  return async (sequence) => {
    const name = `${prefix}-${sequence}`;
    const outcome = await requestJson(`${services.urls['training-service']}/v1/datasets`, services.tokens['data-steward'], {
      namespace: 'reliability',
      name,
      owner: 'data@example.com',
    });
    return { ids: [`dataset:reliability/${name}`], ...outcome };
  };
}

/** Model version registrations (registry-service writes) of the lineage's run, one per request. */
export function modelVersionRegistrations(services: ServiceProcesses, lineage: LoadLineage, model: string): SendRequest {
  return async (sequence) => {
    const outcome = await requestJson(
      `${services.urls['registry-service']}/v1/models/${model}/versions`,
      services.tokens['model-engineer'],
      {
        version: String(sequence + 1),
        runId: lineage.runId,
        artifact: { uri: `s3://models/${model}/${sequence + 1}/`, digest: lineage.artifactDigest },
      },
    );
    return { ids: [`model:${model}@${sequence + 1}`], ...outcome };
  };
}

/** Reads through the gateway: a prediction's trace, the slice's lineage and impact, in turn. */
export function gatewayReads(services: ServiceProcesses, lineage: LoadLineage, predictionId: () => string): SendRequest {
  const paths = [
    () => `/v1/predictions/${predictionId()}/trace`,
    () => `/v1/lineage/${lineage.sliceId}?direction=downstream&depth=3`,
    () => `/v1/slices/${lineage.sliceId}/impact`,
  ];
  return async (sequence) => {
    const path = paths[sequence % paths.length]();
    const outcome = await requestJson(`${services.urls['query-gateway']}${path}`, services.tokens['auditor']);
    return { ids: [], ...outcome };
  };
}

/** The slice's prediction total from the gateway (a point read of its impact document), or -1 when it does not answer. */
export async function sliceImpactTotal(services: ServiceProcesses, lineage: LoadLineage): Promise<number> {
  const answer = await fetch(`${services.urls['query-gateway']}/v1/slices/${lineage.sliceId}/impact`, {
    headers: { authorization: `Bearer ${services.tokens['auditor']}` },
  }).catch(() => undefined);
  return answer?.ok ? ((await answer.json()) as SliceImpact).predictions.total : -1;
}
