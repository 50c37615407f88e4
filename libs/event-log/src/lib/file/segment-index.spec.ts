import { crc32 } from './crc32';
import { MIN_RECORD_BYTES } from './record-codec';
import { decodeSegmentIndex, encodeSegmentIndex, INDEX_FORMAT_VERSION } from './segment-index';

describe('segment index file', () => {
  // Three records of a segment holding 300 bytes; the array has room to spare, as a segment's does.
  const starts = Float64Array.from([0, 100, 180, 0, 0]);
  const segment = { bytes: 300, records: 3 };
  /** The index with its body changed by `change`, and its CRC made right again. */
  const rewritten = (change: (body: Buffer) => void) => {
    const index = encodeSegmentIndex(starts, segment);
    change(index.subarray(4));
    index.writeUInt32BE(crc32(index.subarray(4)), 0);
    return index;
  };

  it('gives back the positions it was written with, no more', () => {
    expect(decodeSegmentIndex(encodeSegmentIndex(starts, segment), segment)).toEqual(Float64Array.from([0, 100, 180]));
  });

  it('keeps positions past 4 GiB', () => {
    const large = Float64Array.from([0, 2 ** 33 + 5]);
    const described = { bytes: 2 ** 33 + 5 + MIN_RECORD_BYTES, records: 2 };

    expect(decodeSegmentIndex(encodeSegmentIndex(large, described), described)).toEqual(large);
  });

  it('describes an empty segment', () => {
    const empty = { bytes: 0, records: 0 };

    expect(decodeSegmentIndex(encodeSegmentIndex(new Float64Array(0), empty), empty)).toEqual(new Float64Array(0));
  });

  it('names why it does not describe the segment', () => {
    const index = encodeSegmentIndex(starts, segment);
    const flipped = Buffer.from(index);
    flipped[index.length - 1] ^= 1;

    expect(decodeSegmentIndex(index.subarray(0, 10), segment)).toBe('index file shorter than its header');
    expect(decodeSegmentIndex(flipped, segment)).toBe('CRC mismatch');
    expect(decodeSegmentIndex(index.subarray(0, index.length - 8), segment)).toBe('CRC mismatch');
    expect(
      decodeSegmentIndex(
        rewritten((body) => (body[0] = INDEX_FORMAT_VERSION + 1)),
        segment,
      ),
    ).toBe(`unknown index format ${INDEX_FORMAT_VERSION + 1}`);
    expect(decodeSegmentIndex(index, { ...segment, bytes: 400 })).toBe('indexes 300 bytes, the segment has 400');
    expect(decodeSegmentIndex(index, { ...segment, records: 4 })).toBe('indexes 3 records, the segment has 4');
    expect(
      decodeSegmentIndex(
        rewritten((body) => body.writeUInt32BE(2, 13)),
        { ...segment, records: 2 },
      ),
    ).toBe('index file length does not match its count');
  });

  it.each([
    ['the first record not at 0', [8, 100, 180]],
    ['records out of order', [0, 180, 100]],
    ['records closer than the smallest record', [0, 100, 101]],
    ['the last record too close to the end', [0, 100, 300 - MIN_RECORD_BYTES + 1]],
  ])('refuses positions with %s', (_, positions) => {
    const index = encodeSegmentIndex(Float64Array.from(positions), segment);

    expect(decodeSegmentIndex(index, segment)).toBe('record positions out of order or outside the segment');
  });
});
