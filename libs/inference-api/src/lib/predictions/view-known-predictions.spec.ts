import { digestOf } from '@prov/integrity';
import { InMemoryLineageStore } from '@prov/lineage-store';
import { projectEvents } from '@prov/projections';
import { digest, LineageEvents } from '@prov/testing';
import { ViewKnownPredictions } from './view-known-predictions';

describe('ViewKnownPredictions', () => {
  it('knows nothing before a generation is active', async () => {
    expect(await new ViewKnownPredictions(new InMemoryLineageStore()).lookup(['pred:a'])).toEqual(new Map());
  });

  it('answers with the record that stands, the first one made, for ids other processes recorded', async () => {
    const store = new InMemoryLineageStore();
    const events = new LineageEvents();
    const first = events.predictionBatch('deployment:api', 'model:churn@1', ['pred:a', 'pred:b'], digest('9'));
    const contradicting = events.predictionBatch('deployment:other', 'model:churn@2', ['pred:a'], digest('8'));
    const live = await store.generation('live-1');
    await projectEvents([contradicting], live);
    await projectEvents([first], live);
    await store.activate('live-1');

    const known = await new ViewKnownPredictions(store).lookup(['pred:a', 'pred:b', 'pred:unknown']);

    const [recordA, recordB] = first.payload.predictions;
    expect([...known.keys()].sort()).toEqual(['pred:a', 'pred:b']);
    expect(known.get('pred:a')).toEqual({
      batchId: first.payload.batchId,
      deploymentId: 'deployment:api',
      modelVersionId: 'model:churn@1',
      artifactDigest: digest('9'),
      inputDigest: recordA.inputDigest,
      ...(recordA.outputDigest === undefined ? {} : { outputDigest: recordA.outputDigest }),
      ...(recordA.output === undefined ? {} : { rawOutputDigest: digestOf(recordA.output) }),
    });
    expect(known.get('pred:b')).toMatchObject({
      batchId: first.payload.batchId,
      inputDigest: recordB.inputDigest,
      ...(recordB.output === undefined ? {} : { rawOutputDigest: digestOf(recordB.output) }),
    });
  });
});
