import { recordsHeld } from './holdings';

describe('recordsHeld', () => {
  it('sums, over partitions, the next offset to be written minus the earliest', () => {
    expect(recordsHeld([])).toBe(0);
    expect(
      recordsHeld([
        { earliest: '0', latest: '7' },
        { earliest: '3', latest: '3' },
        { earliest: '10', latest: '25' },
      ]),
    ).toBe(22);
  });

  it('reads offsets past 2^53 exactly (Kafka offsets are 64-bit)', () => {
    expect(recordsHeld([{ earliest: '9007199254740993', latest: '9007199254740999' }])).toBe(6);
  });
});
