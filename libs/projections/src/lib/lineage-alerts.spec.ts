import { churnUpstream, digest } from '@prov/testing';
import { servedBatchesMayRaise } from './lineage-alerts';
import { given } from './projection-scenario.test-helper';

describe('lineage alerts', () => {
  it('raises an unknown-model-version alert for early batches and keeps counting only those after registration', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const early = events.predictionBatch('deployment:churn-api', ids.model, ['pred:e-1', 'pred:e-2']);
    const before = await given(...world.all).when(early);
    const id = `prediction.unknown-model-version|${ids.model}`;
    expect(before.doc('alerts', id)).toEqual({
      _id: id,
      type: 'prediction.unknown-model-version',
      subject: ids.model,
      modelVersionId: ids.model,
      severity: 'high',
      details: { registered: false, registeredAt: null, predictions: 2, batches: 1 },
      firstRecordedAt: early.recordedAt,
    });
    expect(before.ids('model_lineage')).toEqual([]);

    const model = world.registerModel();
    const late = events.predictionBatch('deployment:churn-api', ids.model, ['pred:l-1']);
    await before.and(model);
    await before.and(late);
    expect(before.doc('model_lineage', ids.model)).toBeDefined();
    expect(before.doc('alerts', id)).toMatchObject({
      details: { registered: true, registeredAt: model.recordedAt, predictions: 2, batches: 1 },
      firstRecordedAt: early.recordedAt,
    });
  });

  it('raises no prediction alert for batches of a registered model serving its own artifact', async () => {
    const world = churnUpstream();
    const model = world.registerModel();
    const then = await given(
      ...world.all,
      model,
      world.events.evaluation(world.ids.model, world.ids.validationSlice),
      world.events.deploymentCreated('churn-api', world.ids.model),
    ).when(world.events.predictionBatch('deployment:churn-api', world.ids.model, ['pred:1']));
    expect(then.ids('alerts')).toEqual([]);
  });

  it('raises an artifact-mismatch alert per served digest that differs from the registered one', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const model = world.registerModel(digest('9'));
    const deployment = events.deploymentCreated('churn-api', ids.model);
    const wrong = events.predictionBatch('deployment:churn-api', ids.model, ['pred:w-1', 'pred:w-2'], digest('6'));
    const right = events.predictionBatch('deployment:churn-api', ids.model, ['pred:r-1'], digest('9'));
    const wrongAgain = events.predictionBatch('deployment:churn-api', ids.model, ['pred:w-3'], digest('6'));
    const then = await given(...world.all, model, deployment, wrong, right).when(wrongAgain);
    const id = `prediction.artifact-mismatch|${ids.model}|${digest('6')}`;
    expect(then.ids('alerts')).toEqual([id]);
    expect(then.doc('alerts', id)).toMatchObject({
      subject: `${ids.model}|${digest('6')}`,
      severity: 'critical',
      details: { registeredDigest: digest('9'), servedDigest: digest('6'), predictions: 3, batches: 2 },
      firstRecordedAt: wrong.recordedAt,
    });
  });

  it('counts the batches recorded at or after a revocation', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const model = world.registerModel();
    const served = events.predictionBatch('deployment:churn-api', ids.model, ['pred:1']);
    const revoked = events.revoked(ids.model);
    const then = await given(...world.all, model, served).when(revoked);
    expect(then.ids('alerts')).not.toContain(`prediction.revoked-model-version|${ids.model}`);
    const after = events.predictionBatch('deployment:churn-api', ids.model, ['pred:2', 'pred:3']);
    await then.and(after);
    expect(then.doc('alerts', `prediction.revoked-model-version|${ids.model}`)).toMatchObject({
      severity: 'critical',
      details: { revokedAt: revoked.recordedAt, predictions: 2, batches: 1 },
      firstRecordedAt: after.recordedAt,
    });
  });

  it('raises an incomplete-lineage alert for predictions of a model whose lineage is not linked, once, and deletes it when the lineage is', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const model = world.registerModel();
    const upstream = world.all.filter((event) => event.subject !== ids.run);
    const deployment = events.deploymentCreated('churn-api', ids.model);
    const first = events.predictionBatch('deployment:churn-api', ids.model, ['pred:1', 'pred:2']);
    const then = await given(...upstream, model, deployment).when(first);
    const id = `prediction.incomplete-lineage|${ids.model}`;
    expect(then.ids('alerts').filter((alertId) => alertId.startsWith('prediction.'))).toEqual([id]);
    expect(then.doc('alerts', id)).toMatchObject({
      severity: 'high',
      details: { missing: expect.arrayContaining(['run']), predictions: 2, batches: 1 },
      firstRecordedAt: first.recordedAt,
    });
    await then.and(events.predictionBatch('deployment:churn-api', ids.model, ['pred:3']));
    expect(then.ids('alerts').filter((alertId) => alertId === id)).toHaveLength(1);
    expect(then.doc('alerts', id)).toMatchObject({
      details: { predictions: 3, batches: 2 },
      firstRecordedAt: first.recordedAt,
    });
    // The run arriving links the lineage: the model's lineage is recomputed, and its prediction alert with it.
    await then.and(world.run);
    expect(then.ids('alerts')).not.toContain(id);
  });

  it('raises a no-data-lineage alert while the run is unknown and deletes it once the lineage is there', async () => {
    const world = churnUpstream();
    const { ids } = world;
    const model = world.registerModel();
    const upstream = world.all.filter((event) => event.subject !== ids.run);
    const then = await given(...upstream).when(model);
    const id = `model.no-data-lineage|${ids.model}`;
    expect(then.doc('alerts', id)).toMatchObject({
      severity: 'medium',
      details: { missing: ['run', 'slices'] },
      firstRecordedAt: model.recordedAt,
    });
    await then.and(world.run);
    expect(then.ids('alerts')).not.toContain(id);
  });

  it('follows a slice flagged after training into the lineage, the slice impact and an alert', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const model = world.registerModel();
    const then = await given(...world.all, model).when();
    expect(then.doc('model_lineage', ids.model)).toMatchObject({ flaggedSliceIds: [] });
    const low = events.sliceFlagged(ids.trainSlice, 'low');
    const critical = events.sliceFlagged(ids.trainSlice, 'critical');
    await then.and(low);
    await then.and(critical);
    expect(then.doc('model_lineage', ids.model)).toMatchObject({ flaggedSliceIds: [ids.trainSlice] });
    expect(then.doc('slice_impact', ids.trainSlice)).toMatchObject({
      flagged: true,
      flags: [expect.objectContaining({ severity: 'low' }), expect.objectContaining({ severity: 'critical' })],
      modelVersions: [{ id: ids.model, runId: ids.run, roles: ['train'] }],
    });
    expect(then.doc('alerts', `model.trained-on-flagged-slice|${ids.model}`)).toMatchObject({
      severity: 'critical',
      details: { sliceIds: [ids.trainSlice] },
      firstRecordedAt: low.recordedAt,
    });
  });

  it('dates a flagged-slice alert from the registration when the model came after the flag', async () => {
    const world = churnUpstream();
    const flag = world.events.sliceFlagged(world.ids.validationSlice, 'medium');
    const model = world.registerModel();
    const then = await given(...world.all, flag).when(model);
    expect(then.doc('alerts', `model.trained-on-flagged-slice|${world.ids.model}`)).toMatchObject({
      severity: 'medium',
      firstRecordedAt: model.recordedAt,
    });
  });

  it('recomputes a model’s prediction alerts only for batches that meet one of their conditions', async () => {
    const world = churnUpstream();
    const { events, ids } = world;
    const model = world.registerModel(digest('9'));
    const healthy = await given(...world.all, model, world.events.evaluation(ids.model, ids.validationSlice)).when();
    const registeredAt = model.recordedAt;
    const batch = (recordedAt: string, artifactDigest = digest('9')) => [{ recordedAt, artifactDigest }];
    const after = new Date(Date.parse(registeredAt) + 1000).toISOString();
    const mayRaise = async (views: typeof healthy, served: ReturnType<typeof batch>, id = ids.model) =>
      [...(await servedBatchesMayRaise(new Map([[id, served]]), views.store))].length > 0;

    expect(await mayRaise(healthy, batch(after))).toBe(false);
    expect(await mayRaise(healthy, batch(after, digest('6')))).toBe(true);
    expect(await mayRaise(healthy, batch('2000-01-01T00:00:00.000Z'))).toBe(true);
    expect(await mayRaise(healthy, batch(after), 'model:unregistered@1')).toBe(true);
    const revoked = await given(...world.all, model).when(events.revoked(ids.model));
    expect(await mayRaise(revoked, batch('2999-01-01T00:00:00.000Z'))).toBe(true);
    // Registered, but its run is not known: the lineage is incomplete.
    const orphan = await given(...world.all).when(
      events.modelRegistered('orphan', '1', 'run:00000000-0000-7000-8000-000000000000'),
    );
    expect(await mayRaise(orphan, batch('2999-01-01T00:00:00.000Z'), 'model:orphan@1')).toBe(true);
  });
});
