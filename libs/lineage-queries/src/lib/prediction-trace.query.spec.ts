import { digestOf } from '@prov/integrity';
import { churnUpstream, digest } from '@prov/testing';
import { projected } from './projected-views.test-helper';
import { traceOfPrediction } from './prediction-trace.query';

const MODEL = 'model:churn-classifier@3.1.0';
const NEXT_MODEL = 'model:churn-classifier@3.2.0';
const DEPLOYMENT = 'deployment:churn-api';

/** A served churn model with an evaluation on its validation slice, and two predictions. */
function servedChurnModel() {
  const world = churnUpstream();
  const { events, ids } = world;
  const model = events.modelRegistered('churn-classifier', '3.1.0', ids.run);
  const evaluation = events.evaluation(MODEL, ids.validationSlice);
  const deployment = events.deploymentCreated('churn-api', MODEL, '2026-11-01T00:00:00.000Z');
  const batch = events.predictionBatch(DEPLOYMENT, MODEL, [
    ['pred:a', '2026-11-01T06:00:00.000Z'],
    ['pred:b', '2026-11-01T06:00:01.000Z'],
  ]);
  return { ...world, model, evaluation, deployment, batch, all: [...world.all, model, evaluation, deployment, batch] };
}

describe('traceOfPrediction', () => {
  it('is undefined for a prediction the views do not hold', async () => {
    const views = await projected(...servedChurnModel().all);
    expect(await traceOfPrediction(views, 'pred:unknown', { level: 'full', revealSensitive: true })).toBeUndefined();
  });

  it('names the deployment, model version, run, pipeline, slices and dataset versions behind a prediction', async () => {
    const world = servedChurnModel();
    const views = await projected(...world.all);

    const trace = await traceOfPrediction(views, 'pred:b', { level: 'full', revealSensitive: true });

    expect(trace?.prediction).toEqual({
      id: 'pred:b',
      batchId: world.batch.payload.batchId,
      deploymentId: DEPLOYMENT,
      modelVersionId: MODEL,
      artifactDigest: digest('9'),
      at: '2026-11-01T06:00:01.000Z',
      recordedAt: world.batch.recordedAt,
      inputDigest: world.batch.payload.predictions[1].inputDigest,
      output: { churn: 0.82 },
      featureSnapshot: 'feast:churn/2026-11-04T12:00:00Z',
    });
    expect(trace?.deployment).toEqual({
      id: DEPLOYMENT,
      known: true,
      name: 'churn-api',
      endpoint: world.deployment.payload.endpoint,
      policy: world.deployment.payload.policy,
      revision: { modelVersionId: MODEL, from: '2026-11-01T00:00:00.000Z', to: null },
      servedModelMatches: true,
    });
    expect(trace?.modelVersion?.id).toBe(MODEL);
    expect(trace?.run).toMatchObject({
      id: world.ids.run,
      hyperparameters: world.run.payload.hyperparameters,
      seeds: world.run.payload.seeds,
      environment: world.run.payload.environment,
      inputs: world.run.payload.inputs,
    });
    expect(trace?.pipeline?.id).toBe(world.ids.pipeline);
    expect(trace?.slices.map((slice) => slice.id).sort()).toEqual(
      [world.ids.trainSlice, world.ids.validationSlice].sort(),
    );
    expect(trace?.slices.find((slice) => slice.id === world.ids.trainSlice)?.uses).toEqual([
      { role: 'train', samplingFraction: 0.5 },
    ]);
    expect(trace?.datasetVersions.map((version) => version.id)).toEqual([world.ids.version]);
    expect(trace?.evaluations?.map((evaluation) => evaluation.metrics)).toEqual([{ auc: 0.89 }]);
    expect(trace?.completeness).toEqual({ level: 'full', complete: true, missing: [] });
  });

  it('leaves hyperparameters, seeds, environment, sampling fractions, metrics and outputs out at standard level', async () => {
    const views = await projected(...servedChurnModel().all);

    const trace = await traceOfPrediction(views, 'pred:b', { level: 'standard', revealSensitive: true });

    expect(trace?.run).toBeDefined();
    expect(trace?.run).not.toHaveProperty('hyperparameters');
    expect(trace?.run).not.toHaveProperty('seeds');
    expect(trace?.run).not.toHaveProperty('environment');
    expect(trace?.run?.inputs.every((input) => !('samplingFraction' in input))).toBe(true);
    expect(trace?.slices.every((slice) => !('uses' in slice))).toBe(true);
    expect(trace).not.toHaveProperty('evaluations');
    expect(trace?.prediction).not.toHaveProperty('output');
    expect(trace?.prediction.inputDigest).toMatch(/^sha256:/);
    expect(trace?.completeness).toEqual({ level: 'standard', complete: true, missing: [] });
  });

  it('replaces sensitive values by their digest for a viewer, and shows them to an auditor', async () => {
    const world = servedChurnModel();
    const views = await projected(...world.all);
    const filter = world.trainSlice.payload.criteria.filter;

    const viewer = await traceOfPrediction(views, 'pred:b', { level: 'full', revealSensitive: false });
    const auditor = await traceOfPrediction(views, 'pred:b', { level: 'full', revealSensitive: true });

    const viewed = viewer?.slices.find((slice) => slice.id === world.ids.trainSlice);
    expect(viewed?.criteria?.filter).toEqual({ redacted: true, digest: digestOf(filter) });
    expect(viewed?.criteria?.source).toBe('web');
    expect(viewer?.datasets[0].owner).toEqual({ redacted: true, digest: digestOf(world.dataset.payload.owner) });
    expect(viewer?.prediction.output).toEqual({ redacted: true, digest: digestOf({ churn: 0.82 }) });
    expect(viewer?.prediction.featureSnapshot).toEqual({
      redacted: true,
      digest: digestOf('feast:churn/2026-11-04T12:00:00Z'),
    });
    expect(auditor?.slices.find((slice) => slice.id === world.ids.trainSlice)?.criteria?.filter).toEqual(filter);
    expect(auditor?.datasets[0].owner).toBe(world.dataset.payload.owner);
  });

  it('shows the deployment revision in force at the prediction time, and whether it served that model', async () => {
    const world = servedChurnModel();
    const revised = world.events.deploymentRevised(DEPLOYMENT, NEXT_MODEL, '2026-11-02T00:00:00.000Z');
    // A serving process that kept the old model loaded after the switch.
    const late = world.events.predictionBatch(DEPLOYMENT, MODEL, [['pred:late', '2026-11-02T09:00:00.000Z']]);
    const views = await projected(...world.all, revised, late);

    const before = await traceOfPrediction(views, 'pred:a', { level: 'standard', revealSensitive: true });
    const after = await traceOfPrediction(views, 'pred:late', { level: 'standard', revealSensitive: true });

    expect(before?.deployment?.revision).toEqual({
      modelVersionId: MODEL,
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
    });
    expect(before?.deployment?.servedModelMatches).toBe(true);
    expect(after?.deployment?.revision).toEqual({
      modelVersionId: NEXT_MODEL,
      from: '2026-11-02T00:00:00.000Z',
      to: null,
    });
    expect(after?.deployment?.servedModelMatches).toBe(false);
    expect(after?.integrity.find((link) => link.link === 'deployment.revision')?.eventId).toBe(revised.eventId);
  });

  it('lists the missing links of the prediction itself: unknown deployment, unregistered model, other artifact', async () => {
    const world = servedChurnModel();
    const stray = world.events.predictionBatch('deployment:shadow', NEXT_MODEL, [
      ['pred:stray', '2026-11-01T07:00:00Z'],
    ]);
    const tampered = world.events.predictionBatch(
      DEPLOYMENT,
      MODEL,
      [['pred:tampered', '2026-11-01T07:00:00Z']],
      digest('f'),
    );
    const views = await projected(...world.all, stray, tampered);

    const strayTrace = await traceOfPrediction(views, 'pred:stray', { level: 'standard', revealSensitive: true });
    const tamperedTrace = await traceOfPrediction(views, 'pred:tampered', { level: 'standard', revealSensitive: true });

    expect(strayTrace).toMatchObject({ deployment: null, modelVersion: null, run: null, slices: [] });
    expect(strayTrace?.completeness).toEqual({
      level: 'standard',
      complete: false,
      missing: ['deployment', 'modelVersion'],
    });
    expect(tamperedTrace?.completeness).toEqual({
      level: 'standard',
      complete: false,
      missing: ['prediction.artifactDigest'],
    });
  });

  it('reports the lineage gaps at the requested level', async () => {
    const world = servedChurnModel();
    const views = await projected(...world.all.filter((event) => event !== world.evaluation));

    const standard = await traceOfPrediction(views, 'pred:a', { level: 'standard', revealSensitive: true });
    const full = await traceOfPrediction(views, 'pred:a', { level: 'full', revealSensitive: true });

    expect(standard?.completeness.complete).toBe(true);
    expect(full?.completeness).toEqual({
      level: 'full',
      complete: false,
      missing: [`evaluations[${world.ids.validationSlice}]`],
    });
  });

  it('names the event, type, trusted time and payload digest behind every link', async () => {
    const world = servedChurnModel();
    const views = await projected(...world.all);

    const trace = await traceOfPrediction(views, 'pred:a', { level: 'full', revealSensitive: false });

    const link = (event: {
      eventId: string;
      type: string;
      recordedAt: string;
      integrity: { payloadDigest: string };
    }) => ({
      eventId: event.eventId,
      type: event.type,
      recordedAt: event.recordedAt,
      payloadDigest: event.integrity.payloadDigest,
      proof: `/v1/audit/events/${event.eventId}/proof`,
    });
    expect(trace?.integrity).toEqual([
      { link: 'prediction', ...link(world.batch) },
      { link: 'deployment', ...link(world.deployment) },
      { link: 'deployment.revision', ...link(world.deployment) },
      { link: 'modelVersion', ...link(world.model) },
      { link: 'run', ...link(world.run) },
      { link: 'run.completion', ...link(world.completed) },
      { link: 'pipeline', ...link(world.pipeline) },
      ...[world.trainSlice, world.validationSlice]
        .sort((a, b) => (a.payload.sliceId < b.payload.sliceId ? -1 : 1))
        .map((slice) => ({ link: `slices[${slice.payload.sliceId}]`, ...link(slice) })),
      { link: `datasetVersions[${world.ids.version}]`, ...link(world.version) },
      { link: `datasets[${world.ids.dataset}]`, ...link(world.dataset) },
      { link: `evaluations[${world.evaluation.payload.evaluationId}]`, ...link(world.evaluation) },
    ]);
  });
});
