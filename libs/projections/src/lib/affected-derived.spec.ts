import type { ProvenanceEvent } from '@prov/contracts';
import { affectedDerived } from './affected-derived';
import { factWrites } from './fact-writes';
import { churnUpstream } from '@prov/testing';
import { given } from './projection-scenario.test-helper';

describe('affected derived documents', () => {
  const world = churnUpstream();
  const { events, ids } = world;
  const model = world.registerModel();
  const sibling = events.modelRegistered('churn-classifier', '3.1.1', ids.run);
  const otherRun = events.runStarted(ids.pipeline, [{ sliceId: ids.validationSlice, role: 'train' }]);
  const otherModel = events.modelRegistered('churn-classifier', '9.0.0', otherRun.payload.runId);
  const deployment = events.deploymentCreated('churn-api', ids.model);
  const history: ProvenanceEvent[] = [...world.all, model, sibling, otherRun, otherModel, deployment];
  const all = [ids.model, sibling.payload.modelVersionId, otherModel.payload.modelVersionId].sort();

  async function affectedBy(event: ProvenanceEvent) {
    const then = await given(...history).when();
    // As the projector does: phase 2 reads the facts phase 1 applied.
    await then.store.apply(factWrites(event));
    const affected = await affectedDerived([event], then.store);
    return {
      models: [...affected.modelVersionIds].sort(),
      alertsOnly: [...affected.predictionAlertModelVersionIds, ...affected.servedBatches.keys()].sort(),
      slices: [...affected.sliceIds].sort(),
    };
  }

  it.each([
    ['a dataset', () => world.dataset, all, []],
    ['a dataset version', () => world.version, all, []],
    ['a pipeline', () => world.pipeline, all, []],
    [
      'a flag on a slice used by one run',
      () => events.sliceFlagged(ids.trainSlice),
      [ids.model, sibling.payload.modelVersionId].sort(),
      [ids.trainSlice],
    ],
    ['a run completion', () => world.completed, [ids.model, sibling.payload.modelVersionId].sort(), []],
    [
      'a run start',
      () => world.run,
      [ids.model, sibling.payload.modelVersionId].sort(),
      [ids.trainSlice, ids.validationSlice].sort(),
    ],
    [
      'an evaluation',
      () => events.evaluation(otherModel.payload.modelVersionId, ids.trainSlice),
      [otherModel.payload.modelVersionId],
      [],
    ],
    ['a model registration', () => otherModel, [otherModel.payload.modelVersionId], [ids.validationSlice]],
    [
      'a deployment revision',
      () => events.deploymentRevised('deployment:churn-api', otherModel.payload.modelVersionId),
      [ids.model, otherModel.payload.modelVersionId].sort(),
      [ids.trainSlice, ids.validationSlice].sort(),
    ],
  ])('follows %s down to the models and slices that read it', async (_what, event, models, slices) => {
    const affected = await affectedBy(event());
    expect(affected.models).toEqual(models);
    expect(affected.slices).toEqual(slices);
  });

  it('sends a prediction batch to its model’s alerts only', async () => {
    const affected = await affectedBy(events.predictionBatch('deployment:churn-api', ids.model, ['pred:1']));
    expect(affected).toEqual({ models: [], alertsOnly: [ids.model], slices: [] });
  });

  it('sends model decisions to both the lineage and the prediction alerts of the model', async () => {
    const affected = await affectedBy(events.revoked(ids.model));
    expect(affected).toEqual({ models: [ids.model], alertsOnly: [ids.model], slices: [] });
  });

  it('finds nothing for platform events', async () => {
    expect(await affectedBy(events.auditCheckpoint())).toEqual({ models: [], alertsOnly: [], slices: [] });
  });
});
