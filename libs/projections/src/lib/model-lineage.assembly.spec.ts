import type { ProvenanceEvent } from '@prov/contracts';
import { churnUpstream, LineageEvents } from '@prov/testing';
import type { ModelLineageDocument } from './model-lineage.document';
import { given } from './projection-scenario.test-helper';

function lineageOf(doc: unknown): ModelLineageDocument {
  expect(doc).toBeDefined();
  return doc as ModelLineageDocument;
}

describe('model lineage', () => {
  it("adds the seeds a run reported at its end to its start's, never overriding a seed it started with", async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const started = events.event('training.run.started', { ...world.run.payload, seeds: { python: 7 } });
    const upstream = world.all.filter((e) => e !== world.completed).map((e) => (e === world.run ? started : e));
    const views = await given(...upstream).when(world.registerModel());
    expect(lineageOf(views.doc('model_lineage', ids.model)).run?.seeds).toEqual({ python: 7 });

    await views.and(
      events.event('training.run.completed', { ...world.completed.payload, seeds: { python: 8, dataloader: 90210 } }),
    );
    const run = lineageOf(views.doc('model_lineage', ids.model)).run;
    expect(run?.seeds).toEqual({ python: 7, dataloader: 90210 });
    expect(run?.completion?.seeds).toEqual({ python: 8, dataloader: 90210 });
  });

  it('holds the whole upstream closure of a model version in one document', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const model = world.registerModel();
    const evaluation = events.evaluation(ids.model, ids.validationSlice);
    const then = await given(...world.all, model).when(evaluation);

    const lineage = lineageOf(then.doc('model_lineage', ids.model));
    expect(lineage.modelVersion).toEqual({
      id: ids.model,
      name: 'churn-classifier',
      version: '3.1.0',
      runId: ids.run,
      artifact: { uri: model.payload.artifact.uri, digest: model.payload.artifact.digest, partCount: 1 },
      event: expect.objectContaining({ eventId: model.eventId, payloadDigest: model.integrity.payloadDigest }),
      stage: null,
      decisions: [],
      revoked: false,
      revocations: [],
    });
    const run = world.run.payload;
    expect(lineage.run).toEqual({
      id: ids.run,
      pipelineId: ids.pipeline,
      inputs: run.inputs,
      hyperparameters: run.hyperparameters,
      seeds: run.seeds,
      codeCommit: run.codeCommit,
      environment: run.environment,
      startedAt: run.startedAt,
      owner: 'alice',
      event: expect.objectContaining({ eventId: world.run.eventId }),
      completion: expect.objectContaining({ status: 'succeeded', metrics: world.completed.payload.metrics }),
    });
    expect(lineage.pipeline).toMatchObject({
      id: ids.pipeline,
      codeDigest: world.pipeline.payload.codeDigest,
      steps: world.pipeline.payload.steps,
      features: world.pipeline.payload.features,
    });
    expect(lineage.slices).toEqual(
      [
        {
          id: ids.trainSlice,
          known: true,
          datasetVersionId: ids.version,
          criteria: world.trainSlice.payload.criteria,
          labels: world.trainSlice.payload.labels,
          contentDigest: world.trainSlice.payload.contentDigest,
          rowCount: world.trainSlice.payload.rowCount,
          roles: ['train'],
          uses: [{ role: 'train', samplingFraction: 0.5 }],
          flags: [],
          flagged: false,
          event: expect.objectContaining({ eventId: world.trainSlice.eventId }),
        },
        expect.objectContaining({
          id: ids.validationSlice,
          known: true,
          roles: ['validation'],
          uses: [{ role: 'validation', samplingFraction: null }],
        }),
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    expect(lineage.datasetVersions).toEqual([
      {
        id: ids.version,
        known: true,
        datasetId: ids.dataset,
        rowCount: world.version.payload.rowCount,
        source: world.version.payload.source,
        tags: world.version.payload.tags,
        partCount: 2,
        event: expect.objectContaining({ eventId: world.version.eventId }),
      },
    ]);
    expect(lineage.datasets).toEqual([
      expect.objectContaining({
        id: ids.dataset,
        known: true,
        owner: world.dataset.payload.owner,
        classification: 'confidential',
      }),
    ]);
    expect(lineage.evaluations).toEqual([
      {
        id: evaluation.payload.evaluationId,
        sliceId: ids.validationSlice,
        metrics: { auc: 0.89 },
        event: expect.objectContaining({ eventId: evaluation.eventId }),
      },
    ]);
    expect(lineage).toMatchObject({
      runId: ids.run,
      pipelineId: ids.pipeline,
      sliceIds: [ids.trainSlice, ids.validationSlice].sort(),
      datasetVersionIds: [ids.version],
      flaggedSliceIds: [],
      deploymentIds: [],
      completeness: { standard: { complete: true, missing: [] }, full: { complete: true, missing: [] } },
    });
    // The manifest stays on the node: a trace never carries 100,000 parts.
    expect(JSON.stringify(lineage)).not.toContain('part-0.parquet');
  });

  it('is incomplete while the run has not arrived, and complete once it has', async () => {
    const world = churnUpstream();
    const model = world.registerModel();
    const upstream = world.all.filter((event) => event.subject !== world.ids.run);
    const before = await given(...upstream).when(model);
    const early = lineageOf(before.doc('model_lineage', world.ids.model));
    expect(early).toMatchObject({
      run: null,
      pipeline: null,
      pipelineId: null,
      slices: [],
      completeness: {
        standard: { complete: false, missing: ['run', 'pipeline', 'slices'] },
        full: { complete: false, missing: ['run', 'pipeline', 'slices', 'evaluations'] },
      },
    });
    await before.and(world.run, world.completed);
    const late = lineageOf(before.doc('model_lineage', world.ids.model));
    expect(late.run?.id).toBe(world.ids.run);
    expect(late.completeness.standard).toEqual({ complete: true, missing: [] });
    expect(late.completeness.full.missing).toEqual([`evaluations[${world.ids.validationSlice}]`]);
  });

  it('names each unknown slice and dataset version as missing', async () => {
    const events = new LineageEvents();
    const dataset = events.dataset();
    const version = events.datasetVersion(dataset.payload.datasetId, 'a');
    const otherVersion = events.datasetVersion(dataset.payload.datasetId, 'b');
    const known = events.slice(version.payload.datasetVersionId, 'web');
    const orphan = events.slice(otherVersion.payload.datasetVersionId, 'web');
    const unknownSlice = 'slice:sha256:' + 'e'.repeat(64);
    const pipeline = events.pipeline();
    const run = events.runStarted(pipeline.payload.pipelineId, [
      { sliceId: known.payload.sliceId, role: 'train', samplingFraction: 0.5 },
      { sliceId: orphan.payload.sliceId, role: 'train', samplingFraction: 0.5 },
      { sliceId: unknownSlice, role: 'test' },
    ]);
    const model = events.modelRegistered('churn-classifier', '4.0.0', run.payload.runId);
    const then = await given(dataset, version, known, orphan, pipeline, run).when(model);
    const lineage = lineageOf(then.doc('model_lineage', model.payload.modelVersionId));
    expect(lineage.slices.find((slice) => slice.id === unknownSlice)).toMatchObject({
      known: false,
      criteria: null,
      event: null,
      roles: ['test'],
    });
    expect(lineage.datasetVersions.find((part) => part.id === otherVersion.payload.datasetVersionId)).toMatchObject({
      known: false,
      datasetId: null,
    });
    expect(lineage.completeness.standard.missing).toEqual([
      `slices[${unknownSlice}]`,
      `datasetVersions[${otherVersion.payload.datasetVersionId}]`,
    ]);
    expect(lineage.completeness.full.missing).toEqual([
      `slices[${unknownSlice}]`,
      `datasetVersions[${otherVersion.payload.datasetVersionId}]`,
      `evaluations[${unknownSlice}]`,
    ]);
  });

  it('asks the full level for hyperparameters, seeds, environment, sampling fractions of sampled slices and an evaluation', async () => {
    const events = new LineageEvents();
    const world = churnUpstream(events);
    const { ids } = world;
    const sparseRun = events.runStarted(ids.pipeline, [{ sliceId: ids.trainSlice, role: 'train' }], {
      hyperparameters: {},
      seeds: {},
      environment: {},
    });
    const model = events.modelRegistered('churn-classifier', '5.0.0', sparseRun.payload.runId);
    const then = await given(...world.all, sparseRun).when(model);
    const lineage = lineageOf(then.doc('model_lineage', model.payload.modelVersionId));
    expect(lineage.completeness).toEqual({
      standard: { complete: true, missing: [] },
      full: {
        complete: false,
        missing: [
          'run.hyperparameters',
          'run.seeds',
          'run.environment',
          `slices[${ids.trainSlice}].samplingFraction`,
          'evaluations',
        ],
      },
    });
    await then.and(events.evaluation(model.payload.modelVersionId, ids.validationSlice));
    expect(lineageOf(then.doc('model_lineage', model.payload.modelVersionId)).completeness.full.missing).toEqual([
      'run.hyperparameters',
      'run.seeds',
      'run.environment',
      `slices[${ids.trainSlice}].samplingFraction`,
    ]);
  });

  it('lists a slice read in two roles once, with both roles and fractions', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const run = events.runStarted(ids.pipeline, [
      { sliceId: ids.trainSlice, role: 'validation', samplingFraction: 0.1 },
      { sliceId: ids.trainSlice, role: 'train', samplingFraction: 0.9 },
    ]);
    const model = events.modelRegistered('churn-classifier', '6.0.0', run.payload.runId);
    const then = await given(...world.all, run).when(model);
    const lineage = lineageOf(then.doc('model_lineage', model.payload.modelVersionId));
    expect(lineage.slices).toEqual([
      expect.objectContaining({
        id: ids.trainSlice,
        roles: ['train', 'validation'],
        uses: [
          { role: 'train', samplingFraction: 0.9 },
          { role: 'validation', samplingFraction: 0.1 },
        ],
      }),
    ]);
  });

  it('shows the current stage and the decision history in trusted-time order', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const model = world.registerModel();
    const staged = events.stageChanged(ids.model, 'staging');
    const rejected = events.promotionRejected(ids.model);
    const promoted = events.promoted(ids.model);
    const then = await given(...world.all, model, staged).when(promoted, rejected);
    const { modelVersion } = lineageOf(then.doc('model_lineage', ids.model));
    expect(modelVersion.decisions.map((decision) => decision.event.eventId)).toEqual([
      staged.eventId,
      rejected.eventId,
      promoted.eventId,
    ]);
    expect(modelVersion.stage).toBe('production');

    const archived = events.stageChanged(ids.model, 'archived');
    const revoked = events.revoked(ids.model);
    await then.and(archived, revoked);
    expect(lineageOf(then.doc('model_lineage', ids.model)).modelVersion).toMatchObject({
      stage: 'archived',
      revoked: true,
      revocations: [{ reason: revoked.payload.reason, event: expect.objectContaining({ eventId: revoked.eventId }) }],
    });
  });

  it('stays unwritten for a model version that is only referenced, never registered', async () => {
    const events = new LineageEvents();
    const referenced = 'model:ghost@1.0.0';
    const then = await given(
      events.deploymentCreated('ghost-api', referenced),
      events.evaluation(referenced, 'slice:sha256:' + 'a'.repeat(64)),
    ).when(events.predictionBatch('deployment:ghost-api', referenced, ['pred:g-1']));
    expect(then.ids('model_lineage')).toEqual([]);
  });

  it('lists the deployments that served the model in any revision', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const model = world.registerModel();
    const then = await given(...world.all, model, events.deploymentCreated('churn-api', ids.model)).when(
      events.deploymentCreated('churn-batch', ids.model),
      events.deploymentRevised('deployment:churn-api', 'model:churn-classifier@3.2.0'),
    );
    expect(lineageOf(then.doc('model_lineage', ids.model)).deploymentIds).toEqual([
      'deployment:churn-api',
      'deployment:churn-batch',
    ]);
  });

  it('reads the seeds of a v1 run after the projector upcast it', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const v1Run = events.runStartedV1(
      ids.pipeline,
      [{ sliceId: ids.trainSlice, role: 'train', samplingFraction: 0.5 }],
      7,
    );
    const model = events.modelRegistered('churn-classifier', '1.0.0', v1Run.subject);
    const then = await given(...world.all, v1Run).when(model);
    const lineage = lineageOf(then.doc('model_lineage', model.payload.modelVersionId));
    expect(lineage.run).toMatchObject({ seeds: { global: 7 }, event: { schemaVersion: 2, upcastFrom: 1 } });
    expect(lineage.completeness.full.missing).not.toContain('run.seeds');
  });

  it('recomputes every model trained on a dataset when the dataset arrives last', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const model = world.registerModel();
    const second = events.modelRegistered('churn-classifier', '3.1.1', ids.run);
    const withoutDataset: ProvenanceEvent[] = world.all.filter((event) => event.subject !== ids.dataset);
    const then = await given(...withoutDataset, model, second).when(world.dataset);
    for (const id of [ids.model, second.payload.modelVersionId]) {
      expect(lineageOf(then.doc('model_lineage', id)).datasets).toEqual([
        expect.objectContaining({ id: ids.dataset, known: true }),
      ]);
    }
  });
});
