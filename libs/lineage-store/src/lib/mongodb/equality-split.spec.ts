import { equalitySplit, SPLIT_IN_UP_TO } from './equality-split';

describe('equalitySplit', () => {
  it('splits the first in on a scalar field of a prediction view into one equality per distinct value', () => {
    expect(equalitySplit('prediction_losses', { modelVersionId: { in: ['a', 'b', 'a'] }, eventId: 'e' })).toEqual([
      { modelVersionId: 'a', eventId: 'e' },
      { modelVersionId: 'b', eventId: 'e' },
    ]);
  });

  it('leaves one value, too many values, other fields and other views to one query', () => {
    const many = Array.from({ length: SPLIT_IN_UP_TO + 1 }, (_, i) => `m${i}`);
    expect(equalitySplit('prediction_losses', { modelVersionId: { in: ['a'] } })).toBeUndefined();
    expect(equalitySplit('prediction_losses', { modelVersionId: { in: many } })).toBeUndefined();
    expect(equalitySplit('prediction_losses', { hour: { in: ['x', 'y'] } })).toBeUndefined();
    expect(equalitySplit('model_lineage', { sliceIds: { in: ['x', 'y'] } })).toBeUndefined();
    expect(equalitySplit('prediction_batches', { modelVersionId: { in: ['a', 'b'] } })).toBeUndefined();
    expect(equalitySplit('prediction_batches', undefined)).toBeUndefined();
  });
});
