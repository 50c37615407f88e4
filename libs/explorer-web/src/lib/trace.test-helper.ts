import type { PredictionTrace } from '@prov/lineage-queries';

const hex = (c: string) => c.repeat(64);
const ref = (eventId: string, type: string) => ({
  eventId,
  type,
  schemaVersion: 1,
  recordedAt: '2026-11-25T08:00:00.000Z',
  occurredAt: '2026-11-25T08:00:00.000Z',
  payloadDigest: `sha256:${hex('e')}`,
  producer: { service: 'training-service', principal: 'engineer' },
});

export const DSV = `dsv:sha256:${hex('1')}`;
export const SLICE_TRAIN = `slice:sha256:${hex('2')}`;
export const SLICE_TEST = `slice:sha256:${hex('3')}`;

/** A full-level trace of one prediction served by a deployment, trained on two slices of one dataset version. */
export function sampleTrace(overrides: Partial<PredictionTrace> = {}): PredictionTrace {
  const slice = (id: string, role: 'train' | 'test', flagged: boolean) => ({
    id,
    known: true,
    datasetVersionId: DSV,
    criteria: { source: 'web' },
    labels: { split: role },
    contentDigest: null,
    rowCount: 100,
    roles: [role],
    uses: [{ role, samplingFraction: 0.5 }],
    flags: flagged
      ? [{ reason: 'label bias', severity: 'high' as const, event: ref('e-flag', 'dataset.slice.flagged') }]
      : [],
    flagged,
    event: ref(`e-${id}`, 'dataset.slice.defined'),
  });
  return {
    level: 'full',
    prediction: {
      id: 'pred:req-1',
      batchId: 'batch-1',
      deploymentId: 'deployment:churn-api',
      modelVersionId: 'model:churn@1',
      artifactDigest: `sha256:${hex('8')}`,
      at: '2026-11-27T10:00:00.000Z',
      recordedAt: '2026-11-27T10:00:01.000Z',
      inputDigest: `sha256:${hex('4')}`,
      output: { redacted: true, digest: `sha256:${hex('5')}` },
    },
    deployment: {
      id: 'deployment:churn-api',
      known: true,
      name: 'churn-api',
      endpoint: 'https://svc/predict',
      policy: null,
      revision: { modelVersionId: 'model:churn@1', from: '2026-11-26T12:00:00.000Z', to: null },
      servedModelMatches: true,
    },
    modelVersion: {
      id: 'model:churn@1',
      name: 'churn',
      version: '1',
      runId: 'run:r1',
      artifact: { uri: 's3://m/1/', digest: `sha256:${hex('8')}`, partCount: 1 },
      event: ref('e-model', 'model.version.registered'),
      stage: null,
      decisions: [],
      revoked: false,
      revocations: [],
    },
    run: {
      id: 'run:r1',
      pipelineId: 'pipeline:features@1.0',
      inputs: [
        { sliceId: SLICE_TRAIN, role: 'train', samplingFraction: 0.5 },
        { sliceId: SLICE_TEST, role: 'test', samplingFraction: 0.5 },
      ],
      hyperparameters: { 'optimizer.lr': 0.01 },
      seeds: { torch: 7 },
      codeCommit: 'abc1234',
      environment: { imageDigest: `sha256:${hex('d')}` },
      startedAt: '2026-11-25T08:00:00.000Z',
      owner: 'engineer',
      event: ref('e-run', 'training.run.started'),
      completion: null,
    },
    pipeline: {
      id: 'pipeline:features@1.0',
      name: 'features',
      version: '1.0',
      codeDigest: 'git:abc1234',
      steps: [],
      features: [],
      event: ref('e-pipeline', 'pipeline.registered'),
    },
    slices: [slice(SLICE_TRAIN, 'train', true), slice(SLICE_TEST, 'test', false)],
    datasetVersions: [
      {
        id: DSV,
        known: true,
        datasetId: 'dataset:e2e/events',
        rowCount: 1000,
        source: 's3://lake/',
        tags: null,
        partCount: 1,
        event: ref('e-dsv', 'dataset.version.registered'),
      },
    ],
    datasets: [],
    completeness: { level: 'full', complete: false, missing: ['evaluations[x]'] },
    integrity: [],
    ...overrides,
  };
}
