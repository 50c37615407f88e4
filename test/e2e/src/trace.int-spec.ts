import { artifactManifestDigest, dataSliceId, datasetVersionId } from '@prov/integrity';
import type { PredictionTrace, SliceImpact } from '@prov/lineage-queries';
import { integrationEnv, uniqueName } from '@prov/testing';
import { RunningServices } from './running-services';

/**
 * The whole platform as separate processes on real Kafka and FerretDB: what
 * the producer services accept, the projector folds, and the query gateway
 * traces back, link by link, for an auditor and (redacted) for a viewer.
 */
const { kafkaBrokers, mongodbUri } = integrationEnv();
const hex = (c: string) => c.repeat(64);

describe('a prediction traced end to end', () => {
  const services = new RunningServices();
  const database = uniqueName('e2e').replace(/[^a-zA-Z0-9_-]/g, '_');

  beforeAll(async () => {
    await services.start(['training-service', 'registry-service', 'inference-service', 'projector', 'query-gateway'], {
      PROV_EVENT_LOG: 'kafka',
      KAFKA_BROKERS: kafkaBrokers.join(','),
      PROV_TOPIC_PREFIX: `${uniqueName('e2e')}.`,
      PROV_STORE: 'mongodb',
      MONGODB_URI: mongodbUri,
      MONGODB_DATABASE: database,
      PROV_PROJECTOR_POLL_MS: '200',
    });
  }, 180_000);

  afterAll(() => services.stop());

  const json = async <T = PredictionTrace>(response: Response): Promise<T> => (await response.json()) as T;
  const query = (path: string, role: 'auditor' | 'viewer') =>
    fetch(`${services.urls['query-gateway']}${path}`, {
      headers: { authorization: `Bearer ${services.tokens[role]}` },
    });

  it('answers what produced a prediction, from dataset snapshot to deployment', async () => {
    const parts = [{ path: 'part-0.parquet', sizeBytes: 1024, sha256: hex('1') }];
    const dsv = datasetVersionId(parts);
    const criteria = { source: 'web', sampling: { fraction: 0.5, seed: 7 }, filter: { country: ['DE'] } };
    const slice = dataSliceId(dsv, criteria);
    const steward = services.client('data-steward');
    const engineer = services.client('model-engineer');
    const dataset = await steward.datasets.register({ namespace: 'e2e', name: 'events', owner: 'data@example.com' });
    await steward.datasets.registerVersion(dataset.id, { parts, source: 's3://lake/e2e/' });
    await steward.slices.define({ datasetVersionId: dsv, criteria, labels: { 'label.kind': 'gold' } });
    const pipeline = await engineer.pipelines.register({
      name: 'features',
      version: '1.0',
      codeDigest: 'git:abc1234',
      steps: [{ name: 'scale', transform: 'StandardScaler' }],
    });
    const run = await engineer.runs.start({
      pipeline: pipeline.id,
      inputs: [{ sliceId: slice, role: 'train', samplingFraction: 0.5 }],
      hyperparameters: { 'optimizer.lr': 0.01, $scale: 2, layers: [[64, 32]] },
      seeds: { torch: 7 },
      codeCommit: 'abc1234',
      environment: { imageDigest: `sha256:${hex('d')}` },
      startedAt: '2026-11-25T08:00:00Z',
    });
    await engineer.runs.complete(run.id, {
      status: 'succeeded',
      endedAt: '2026-11-25T09:00:00Z',
      metrics: { auc: 0.9 },
    });
    const files = [{ path: 'model.onnx', sizeBytes: 10, sha256: hex('8') }];
    const artifact = artifactManifestDigest(files);
    const model = await engineer.models.registerVersion('churn', {
      version: '1',
      runId: run.id,
      artifact: { uri: 's3://m/1/', digest: artifact, parts: files },
    });
    await engineer.deployments.create({ name: 'churn-api', modelVersionId: model.id, endpoint: 'https://svc/predict' });
    await services.client('ml-service').predictions.recordBatch({
      deployment: 'churn-api',
      modelVersionId: model.id,
      artifactDigest: artifact,
      predictions: [
        // Made now, so after the deployment began serving the model version.
        { id: 'req-1', at: new Date().toISOString(), inputDigest: `sha256:${hex('3')}`, output: { churn: 0.8 } },
      ],
    });

    // The projector folds each topic asynchronously, so the prediction may be
    // traceable before its deployment's or its slices' events are folded: wait
    // until the standard level finds every link (or give up and assert).
    const standard = await services.traceOnceComplete('pred:req-1', 'auditor');
    // Everything the standard level asks for is linked; the full level also wants evaluations, which this run lacks.
    expect(standard?.completeness).toEqual({ level: 'standard', complete: true, missing: [] });
    const answer = await query('/v1/predictions/pred:req-1/trace?level=full', 'auditor');
    expect(answer.status).toBe(200);
    const trace = await json(answer);
    expect(trace).toMatchObject({
      prediction: { id: 'pred:req-1', output: { churn: 0.8 } },
      deployment: { id: 'deployment:churn-api', servedModelMatches: true },
      modelVersion: { id: model.id },
      run: {
        id: run.id,
        hyperparameters: { 'optimizer.lr': 0.01, $scale: 2, layers: [[64, 32]] },
        seeds: { torch: 7 },
      },
      pipeline: { id: pipeline.id },
      slices: [{ id: slice }],
      datasetVersions: [{ id: dsv }],
    });
    expect(trace.completeness.complete).toBe(false);

    const redacted = await json(await query('/v1/predictions/pred:req-1/trace?level=full', 'viewer'));
    expect(redacted.prediction.output).toMatchObject({ redacted: true });
    const unknown = await query('/v1/predictions/pred:nobody/trace', 'viewer');
    expect(unknown.status).toBe(404);

    const impact = await json<SliceImpact>(await query(`/v1/slices/${slice}/impact`, 'viewer'));
    expect(impact).toMatchObject({ predictions: { total: 1, byModelVersion: [{ id: model.id, count: 1 }] } });
  });
});
