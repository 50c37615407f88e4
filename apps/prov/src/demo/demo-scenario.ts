import { artifactManifestDigest, dataSliceId, datasetVersionId } from '@prov/integrity';
import { ProvenanceApiError, type ProvenanceClient } from '@prov/sdk';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeCustomerEvents, writeModelArtifact } from './demo-data';

/** What the demo recorded, to ask about. */
export interface DemoScenario {
  dataDirectory: string;
  datasetVersions: { october: string; november: string };
  slices: { octoberTrain: string; octoberValidation: string; novemberTrain: string; novemberValidation: string };
  flaggedSlice: string;
  modelVersions: { first: string; second: string };
  deployment: string;
  revisionAt: string;
  /** A prediction churn@1 made before the revision, and one churn@2 made after it. */
  predictionBeforeRevision: string;
  predictionAfterRevision: string;
  predictionCounts: { first: number; second: number };
}

/** How many steps the demo reports through `onStep`. */
export const DEMO_STEPS = 9;
const FIRST_PREDICTIONS = 120;

/** Whether the views already hold this flag of the slice (from an earlier run of the demo). */
async function alreadyFlagged(client: ProvenanceClient, sliceId: string, reason: string): Promise<boolean> {
  try {
    return (await client.queries.sliceImpact(sliceId)).flags.some((flag) => flag.reason === reason);
  } catch (error) {
    if (error instanceof ProvenanceApiError && [404, 503].includes(error.status)) return false;
    throw error;
  }
}
const SECOND_PREDICTIONS = 80;
const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const at = (day: number, minutes: number) => new Date(Date.UTC(2026, 10, day, 8, minutes)).toISOString();

/**
 * A churn model's month, recorded through the public API exactly as a team
 * would: two snapshots of a customer-events table, train and validation
 * slices of each, a feature pipeline, two training runs with their
 * hyperparameters and seeds, two model versions, a deployment revised from
 * the first to the second, predictions on both sides of the revision, and a
 * training slice flagged for labeling bias afterwards. Fixed times and
 * contents: running it again records nothing new
 * (once the views hold the first run's flag).
 */
export async function recordDemoScenario(
  client: ProvenanceClient,
  dataDirectory: string,
  onStep: (step: string) => void = () => undefined,
): Promise<DemoScenario> {
  onStep('dataset customer-events with two snapshots (real CSV files)');
  const dataset = await client.datasets.register({
    namespace: 'crm',
    name: 'customer-events',
    owner: 'data-platform@example.com',
    description: 'Customer interaction events, one row per customer and month',
    classification: 'confidential',
  });
  const snapshot = async (month: string, parts: number, seed: number) => {
    const directory = join(dataDirectory, 'customer-events', month);
    const files = writeCustomerEvents(directory, month, parts, seed);
    await client.datasets.registerVersion(dataset.id, {
      parts: files,
      rowCount: parts * 250,
      source: `s3://lake/crm/customer-events/${month}/`,
      tags: { snapshot: month },
    });
    return datasetVersionId(files);
  };
  const october = await snapshot('2026-10', 3, 10);
  const november = await snapshot('2026-11', 4, 11);

  onStep('train and validation slices of each snapshot');
  const slice = async (dsv: string, rows: number, purpose: 'train' | 'validation', fraction: number) => {
    const criteria = {
      source: 'web+app',
      sampling: { fraction, seed: 42 },
      filter: { country: { in: ['DE', 'FR', 'NL'] }, 'consent.analytics': true },
    };
    await client.slices.define({
      datasetVersionId: dsv,
      criteria,
      labels: { purpose, 'label.source': 'crm-churn-flag' },
      rowCount: Math.round(rows * fraction),
    });
    return dataSliceId(dsv, criteria);
  };
  const slices = {
    octoberTrain: await slice(october, 750, 'train', 0.8),
    octoberValidation: await slice(october, 750, 'validation', 0.2),
    novemberTrain: await slice(november, 1000, 'train', 0.8),
    novemberValidation: await slice(november, 1000, 'validation', 0.2),
  };

  onStep('feature pipeline churn-features@2.3.0');
  const pipeline = await client.pipelines.register({
    name: 'churn-features',
    version: '2.3.0',
    codeDigest: 'git:7c1e9a2f4b3d',
    steps: [
      { name: 'impute', transform: 'sklearn.impute.SimpleImputer', params: { strategy: 'median' } },
      { name: 'encode', transform: 'sklearn.preprocessing.OneHotEncoder', params: { columns: ['country', 'channel'] } },
      { name: 'scale', transform: 'sklearn.preprocessing.StandardScaler' },
    ],
    features: [
      { name: 'sessions_30d', transform: 'identity', sourceColumns: ['sessions_30d'] },
      { name: 'spend_per_session', transform: 'ratio', sourceColumns: ['spend_30d', 'sessions_30d'] },
    ],
  });

  const trainAndRegister = async (options: {
    runUuid: string;
    evaluationUuid: string;
    train: string;
    validation: string;
    day: number;
    hyperparameters: Record<string, number>;
    seed: number;
    version: string;
    auc: number;
  }) => {
    const run = await client.runs.start({
      runId: `run:${options.runUuid}`,
      pipeline: pipeline.id,
      inputs: [
        { sliceId: options.train, role: 'train', samplingFraction: 1 },
        { sliceId: options.validation, role: 'validation', samplingFraction: 1 },
      ],
      hyperparameters: options.hyperparameters,
      seeds: { python: options.seed, numpy: options.seed, xgboost: options.seed },
      codeCommit: '7c1e9a2f4b3d',
      environment: {
        imageDigest: sha(`trainer-image-${options.version}`),
        libraries: { xgboost: '2.1.3', 'scikit-learn': '1.6.0' },
      },
      startedAt: at(options.day, 0),
      owner: 'alice',
    });
    await client.runs.complete(run.id, {
      status: 'succeeded',
      endedAt: at(options.day, 45),
      metrics: { auc: options.auc, 'logloss.final': 0.31 },
    });
    const files = writeModelArtifact(join(dataDirectory, 'models', 'churn', options.version), options.hyperparameters);
    const model = await client.models.registerVersion('churn', {
      version: options.version,
      runId: run.id,
      artifact: { uri: `s3://models/churn/${options.version}/`, digest: artifactManifestDigest(files), parts: files },
    });
    await client.evaluations.record({
      evaluationId: `eval:${options.evaluationUuid}`,
      modelVersionId: model.id,
      sliceId: options.validation,
      metrics: { auc: options.auc - 0.01, precision_at_10: 0.42 },
    });
    return { model: model.id, artifact: artifactManifestDigest(files) };
  };

  onStep('training run and model version churn@1 (October data)');
  const first = await trainAndRegister({
    runUuid: '0192f6a0-1c2d-7e3f-8a4b-5c6d7e8f9a01',
    evaluationUuid: '0192f6a0-1c2d-7e3f-8e4b-5c6d7e8f9a01',
    train: slices.octoberTrain,
    validation: slices.octoberValidation,
    day: 1,
    hyperparameters: { learning_rate: 0.05, max_depth: 6, n_estimators: 400, 'early_stopping.rounds': 20 },
    seed: 42,
    version: '1',
    auc: 0.871,
  });
  onStep('deployment churn-api serving churn@1');
  const deployment = await client.deployments.create({
    name: 'churn-api',
    modelVersionId: first.model,
    endpoint: 'https://churn.internal.example.com/v1/predict',
    policy: { captureLevel: 'full', policyId: 'churn-prod' },
    effectiveFrom: at(3, 0),
  });

  onStep('training run and model version churn@2 (November data)');
  const second = await trainAndRegister({
    runUuid: '0192f6a0-1c2d-7e3f-8a4b-5c6d7e8f9a02',
    evaluationUuid: '0192f6a0-1c2d-7e3f-8e4b-5c6d7e8f9a02',
    train: slices.novemberTrain,
    validation: slices.novemberValidation,
    day: 16,
    hyperparameters: { learning_rate: 0.03, max_depth: 8, n_estimators: 600, 'early_stopping.rounds': 20 },
    seed: 7,
    version: '2',
    auc: 0.893,
  });
  const revisionAt = at(18, 0);
  onStep(`deployment churn-api revised to churn@2 from ${revisionAt}`);
  await client.deployments.revise('churn-api', { modelVersionId: second.model, effectiveFrom: revisionAt });

  const predictions = async (model: { model: string; artifact: string }, first: number, count: number, day: number) => {
    await client.predictions.recordBatch(
      {
        deployment: 'churn-api',
        modelVersionId: model.model,
        artifactDigest: model.artifact,
        predictions: Array.from({ length: count }, (_, i) => {
          const n = first + i;
          const score = Math.round(((n * 37) % 100) / 10) / 10;
          return {
            id: `demo-${String(n).padStart(6, '0')}`,
            at: at(day + Math.floor(i / 40), i % 40),
            inputDigest: sha(`customer-${100_000 + n}`),
            output: { churn_probability: score, churn: score >= 0.5 },
          };
        }),
      },
      // The same batch on every run of the demo: recording it again is a no-op.
      { idempotencyKey: `demo-batch-${model.model}` },
    );
  };
  onStep(`${FIRST_PREDICTIONS} predictions by churn@1, then ${SECOND_PREDICTIONS} by churn@2`);
  await predictions(first, 1, FIRST_PREDICTIONS, 10);
  await predictions(second, FIRST_PREDICTIONS + 1, SECOND_PREDICTIONS, 18);

  onStep('the October training slice is flagged for labeling bias');
  // A flag is an event, not an immutable record: flagging again would add a second one.
  const reason = 'labeling bias: churn labels of the app channel were assigned a month late';
  if (!(await alreadyFlagged(client, slices.octoberTrain, reason))) {
    await client.slices.flag(slices.octoberTrain, { reason, severity: 'high' });
  }

  return {
    dataDirectory,
    datasetVersions: { october, november },
    slices,
    flaggedSlice: slices.octoberTrain,
    modelVersions: { first: first.model, second: second.model },
    deployment: deployment.id,
    revisionAt,
    predictionBeforeRevision: 'pred:demo-000042',
    predictionAfterRevision: `pred:demo-${String(FIRST_PREDICTIONS + 42).padStart(6, '0')}`,
    predictionCounts: { first: FIRST_PREDICTIONS, second: SECOND_PREDICTIONS },
  };
}
