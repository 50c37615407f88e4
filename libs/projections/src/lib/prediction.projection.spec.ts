import { digest, LineageEvents } from '@prov/testing';
import { given } from './projection-scenario.test-helper';

describe('predictions', () => {
  const events = new LineageEvents();
  const first = events.predictionBatch(
    'deployment:churn-api',
    'model:churn-classifier@3.1.0',
    ['pred:dup', 'pred:a'],
    digest('9'),
  );
  const resent = events.predictionBatch(
    'deployment:churn-api',
    'model:churn-classifier@3.1.0',
    ['pred:dup'],
    digest('8'),
  );

  it.each([
    ['in publish order', [first, resent]],
    ['when the later batch arrives first', [resent, first]],
  ])('keeps the earlier event’s record of a prediction id sent in two batches, %s', async (_order, [a, b]) => {
    const then = await given(a).when(b);
    expect(then.doc('predictions', 'pred:dup')).toMatchObject({
      batchId: first.payload.batchId,
      eventId: first.eventId,
      artifactDigest: digest('9'),
    });
    expect(then.ids('prediction_batches')).toEqual([first.payload.batchId, resent.payload.batchId].sort());
  });

  it('touches no model lineage for a batch, only alerts', async () => {
    const then = await given().when(first);
    expect(then.ids('model_lineage')).toEqual([]);
    expect(then.ids('slice_impact')).toEqual([]);
    expect(then.ids('alerts')).toEqual(['prediction.unknown-model-version|model:churn-classifier@3.1.0']);
  });

  it('keeps each batch’s predictions by hour, the same document when the batch is delivered again', async () => {
    const spread = events.predictionBatch('deployment:churn-api', 'model:churn-classifier@3.1.0', [
      ['pred:h1', '2026-11-05T10:15:00.000Z'],
      ['pred:h2', '2026-11-05T12:00:00.000Z'],
      ['pred:h3', '2026-11-05T10:45:00.000Z'],
    ]);
    const once = await given().when(spread);
    const twice = await given(spread).when(spread);
    const hours = [
      { hour: '2026-11-05T10', count: 2 },
      { hour: '2026-11-05T12', count: 1 },
    ];
    expect(once.doc('prediction_batches', spread.payload.batchId)).toMatchObject({ count: 3, hours });
    expect(twice.doc('prediction_batches', spread.payload.batchId)).toEqual(
      once.doc('prediction_batches', spread.payload.batchId),
    );
  });
});
