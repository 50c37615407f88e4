import { digestOf } from '@prov/integrity';
import { churnUpstream } from '@prov/testing';
import { modelCompleteness, modelLineageOf } from './model-lineage.query';
import { projected } from './projected-views.test-helper';

const MODEL = 'model:churn-classifier@3.1.0';

describe('a model version lineage', () => {
  const world = churnUpstream();
  const model = world.registerModel();

  it('is the whole upstream closure, with sensitive values as digests unless revealed', async () => {
    const views = await projected(...world.all, model);
    const revealed = await modelLineageOf(views, MODEL, { revealSensitive: true });
    const redacted = await modelLineageOf(views, MODEL, { revealSensitive: false });
    expect(revealed).toMatchObject({ _id: MODEL, runId: world.ids.run, pipelineId: world.ids.pipeline });
    const filter = world.trainSlice.payload.criteria.filter;
    const revealedSlice = revealed?.slices.find((s) => s.id === world.ids.trainSlice);
    const redactedSlice = redacted?.slices.find((s) => s.id === world.ids.trainSlice);
    expect(revealedSlice?.criteria?.filter).toEqual(filter);
    expect(redactedSlice?.criteria?.filter).toEqual({ redacted: true, digest: digestOf(filter) });
    expect(redacted?.datasets[0]).toMatchObject({ owner: { redacted: true } });
    expect(redacted?.run).toEqual(revealed?.run);
  });

  it('says how complete it is at each capture level, and nothing for an unregistered model version', async () => {
    const views = await projected(...world.all, model);
    expect(await modelCompleteness(views, MODEL, 'standard')).toEqual({
      modelVersionId: MODEL,
      level: 'standard',
      complete: true,
      missing: [],
    });
    const full = await modelCompleteness(views, MODEL, 'full');
    expect(full).toMatchObject({ level: 'full', complete: false });
    expect(full?.missing.length).toBeGreaterThan(0);
    expect(await modelCompleteness(views, 'model:nobody@1.0.0', 'standard')).toBeUndefined();
    expect(await modelLineageOf(views, 'model:nobody@1.0.0', { revealSensitive: true })).toBeUndefined();
  });
});
