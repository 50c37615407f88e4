import { isProblem, parseSearch } from './search-target';

const hex = 'ab'.repeat(32);

describe('parseSearch', () => {
  it.each([
    ['pred:req-1', 'prediction', 'pred:req-1'],
    ['  req-1 ', 'prediction', 'pred:req-1'],
    ['model:churn@3', 'model-version', 'model:churn@3'],
    ['deployment:churn-api', 'deployment', 'deployment:churn-api'],
    [`slice:sha256:${hex}`, 'slice', `slice:sha256:${hex}`],
    [`dsv:sha256:${hex}`, 'dataset-version', `dsv:sha256:${hex}`],
  ])('reads %s as a %s', (input, kind, id) => {
    expect(parseSearch(input)).toEqual({ kind, id });
  });

  it.each(['', '   ', 'model:churn', 'slice:sha256:abc', 'run:1234', 'two words'])('refuses %p', (input) => {
    const answer = parseSearch(input);
    expect(isProblem(answer)).toBe(true);
  });
});
