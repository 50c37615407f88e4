import fc from 'fast-check';
import { artifactManifestDigest, buildManifest, dataSliceId, datasetVersionId } from './dataset-manifest';
import { digestOf, isDigest, parseDigest, sha256Hex } from './digest';
import { InvalidManifestError } from './integrity.errors';

const files = [
  { path: 'part-0001.parquet', sizeBytes: 524288, sha256: '2'.repeat(64) },
  { path: 'part-0000.parquet', sizeBytes: 1048576, sha256: '1'.repeat(64) },
];

describe('digests and content ids', () => {
  it('digests the canonical JSON of a value', () => {
    expect(digestOf({ b: 1, a: 'x' })).toBe(`sha256:${sha256Hex('{"a":"x","b":1}')}`);
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(isDigest(digestOf(null))).toBe(true);
    expect(parseDigest(digestOf(1)).hex).toHaveLength(64);
    expect(() => parseDigest('sha256:ABC')).toThrow(/not a digest/);
  });

  it('names a dataset version by the digest of its manifest sorted by path', () => {
    const id = datasetVersionId(files);
    expect(id).toBe(`dsv:${digestOf([files[1], files[0]])}`);
    expect(id).toMatch(/^dsv:sha256:[0-9a-f]{64}$/);
  });

  it('gives the same dataset version id whatever order the files are listed in', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(files, { minLength: 2, maxLength: 2 }), (shuffled) => {
        expect(datasetVersionId(shuffled)).toBe(datasetVersionId(files));
      }),
    );
  });

  it('gives another id when any byte of the manifest changes', () => {
    expect(datasetVersionId([{ ...files[0], sizeBytes: 524289 }, files[1]])).not.toBe(datasetVersionId(files));
    expect(datasetVersionId([{ ...files[0], sha256: '3'.repeat(64) }, files[1]])).not.toBe(datasetVersionId(files));
  });

  it('keeps only path, size and sha256 of each file', () => {
    const withExtra = files.map((f) => ({ ...f, modifiedAt: 'yesterday' }));
    expect(buildManifest(withExtra)).toEqual([files[1], files[0]]);
  });

  it.each([
    ['no files', [], /at least one file/],
    ['a duplicate path', [files[0], { ...files[0], sha256: '3'.repeat(64) }], /appears twice/],
    ['an uppercase sha256', [{ ...files[0], sha256: 'A'.repeat(64) }], /parts\[0\]\.sha256/],
    ['a negative size', [files[0], { ...files[1], sizeBytes: -1 }], /parts\[1\]\.sizeBytes/],
    ['an empty path', [{ ...files[0], path: '' }], /parts\[0\]\.path/],
  ])('refuses a manifest with %s', (_name, manifest, message) => {
    expect(() => datasetVersionId(manifest)).toThrow(InvalidManifestError);
    expect(() => datasetVersionId(manifest)).toThrow(message);
  });

  it('names a slice by its dataset version and canonical criteria', () => {
    const dsv = datasetVersionId(files);
    const criteria = { sampling: { fraction: 0.5, seed: 42 }, source: 'web' };
    expect(dataSliceId(dsv, criteria)).toBe(`slice:${digestOf({ datasetVersionId: dsv, criteria })}`);
    expect(dataSliceId(dsv, { source: 'web', sampling: { seed: 42, fraction: 0.5 } })).toBe(dataSliceId(dsv, criteria));
    expect(dataSliceId(dsv, { ...criteria, source: 'app' })).not.toBe(dataSliceId(dsv, criteria));
  });

  it('digests a model artifact manifest with the same rules', () => {
    expect(artifactManifestDigest(files)).toBe(datasetVersionId(files).slice('dsv:'.length));
  });
});
