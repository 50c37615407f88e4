import { buildManifest } from './file-manifest';
import { InvalidManifestError } from './integrity.errors';

const a = { path: 'part-0000.parquet', sizeBytes: 1048576, sha256: '1'.repeat(64) };
const b = { path: 'part-0001.parquet', sizeBytes: 524288, sha256: '2'.repeat(64) };

describe('file manifest', () => {
  it('sorts parts by path in UTF-16 code units and keeps only path, size and sha256', () => {
    const upper = { path: 'Z.csv', sizeBytes: 0, sha256: '3'.repeat(64) };
    const astral = { path: '\ud83d\ude00.csv', sizeBytes: 1, sha256: '4'.repeat(64) };
    const high = { path: '\uff61.csv', sizeBytes: 2, sha256: '5'.repeat(64) };
    expect(buildManifest([astral, { ...b, modifiedAt: 'yesterday' } as typeof b, high, upper, a])).toEqual([
      upper,
      a,
      b,
      astral,
      high,
    ]);
  });

  it.each([
    ['an empty list', [], undefined, /at least one part/],
    ['a part that is not an object', [a, null], 1, /parts\[1\]\.path/],
    ['an empty path', [{ ...a, path: '' }], 0, /parts\[0\]\.path must be a non-empty string/],
    ['an uppercase sha256', [a, { ...b, sha256: 'A'.repeat(64) }], 1, /parts\[1\]\.sha256 must be 64 lowercase hex/],
    ['a short sha256', [{ ...a, sha256: 'a'.repeat(63) }], 0, /parts\[0\]\.sha256/],
    ['a negative size', [a, { ...b, sizeBytes: -1 }], 1, /parts\[1\]\.sizeBytes must be a non-negative integer/],
    ['a fractional size', [{ ...a, sizeBytes: 1.5 }], 0, /parts\[0\]\.sizeBytes/],
    ['a size given as a string', [{ ...a, sizeBytes: '10' }], 0, /parts\[0\]\.sizeBytes/],
    [
      'a duplicate path',
      [a, b, { ...a, sha256: '3'.repeat(64) }],
      2,
      /parts\[2\]\.path "part-0000.parquet" appears twice \(first at parts\[0\]\)/,
    ],
  ])('refuses %s, naming the part', (_name, parts, partIndex, message) => {
    const attempt = () => buildManifest(parts as (typeof a)[]);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(InvalidManifestError);
    expect(() => attempt()).toThrow(expect.objectContaining({ partIndex, retriable: false }));
  });
});
