import { differenceRows, highlight, shown } from './difference-rows';

describe('differenceRows', () => {
  it('marks only the differing part of each side', () => {
    const rows = differenceRows({
      sameDataSnapshot: false,
      differences: [
        { path: 'run.seeds.torch', left: 7, right: 8 },
        { path: 'modelVersion.artifact.digest', left: 'sha256:aaa1bbb', right: 'sha256:aaa2bbb' },
        { path: 'slices[slice:x]', left: { role: 'train' }, right: undefined },
      ],
    });
    expect(rows).toEqual([
      { path: 'run.seeds.torch', left: [{ text: '7', changed: true }], right: [{ text: '8', changed: true }] },
      {
        path: 'modelVersion.artifact.digest',
        left: [
          { text: 'sha256:aaa', changed: false },
          { text: '1', changed: true },
          { text: 'bbb', changed: false },
        ],
        right: [
          { text: 'sha256:aaa', changed: false },
          { text: '2', changed: true },
          { text: 'bbb', changed: false },
        ],
      },
      {
        path: 'slices[slice:x]',
        left: [{ text: '{"role":"train"}', changed: true }],
        right: [{ text: '—', changed: true }],
      },
    ]);
  });

  it('never lets the common start and end overlap when one side extends the other', () => {
    expect(highlight('abab', 'ab')).toEqual({
      left: [
        { text: 'ab', changed: false },
        { text: 'ab', changed: true },
      ],
      right: [{ text: 'ab', changed: false }],
    });
  });

  it('shows absent values as a dash', () => {
    expect([shown(null), shown(undefined), shown('x'), shown(0)]).toEqual(['—', '—', 'x', '0']);
  });
});
