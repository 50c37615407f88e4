import fc from 'fast-check';
import { artifactManifestDigest, dataSliceId, datasetVersionId } from './content-ids';
import { sha256Hex } from './digest';
import { InvalidDigestError, InvalidManifestError } from './integrity.errors';

const parts = [
  { path: 'part-0001.parquet', sizeBytes: 524288, sha256: sha256Hex('second') },
  { path: 'part-0000.parquet', sizeBytes: 1048576, sha256: sha256Hex('first') },
];

describe('content ids', () => {
  it('names a dataset version by the digest of its manifest sorted by path', () => {
    const canonical =
      `[{"path":"part-0000.parquet","sha256":"${sha256Hex('first')}","sizeBytes":1048576},` +
      `{"path":"part-0001.parquet","sha256":"${sha256Hex('second')}","sizeBytes":524288}]`;
    expect(datasetVersionId({ parts })).toBe(`dsv:sha256:${sha256Hex(canonical)}`);
    expect(datasetVersionId(parts)).toBe(datasetVersionId({ parts }));
  });

  it('gives the same dataset version id whatever order the parts are listed in', () => {
    const manyParts = Array.from({ length: 12 }, (_, i) => ({
      path: `shard-${i}.csv`,
      sizeBytes: i * 100,
      sha256: sha256Hex(String(i)),
    }));
    const id = datasetVersionId({ parts: manyParts });
    fc.assert(
      fc.property(fc.shuffledSubarray(manyParts, { minLength: 12 }), (shuffled) => {
        expect(datasetVersionId({ parts: shuffled })).toBe(id);
      }),
    );
  });

  it('gives another id when any size, digest or path changes', () => {
    const id = datasetVersionId({ parts });
    expect(datasetVersionId({ parts: [{ ...parts[0], sizeBytes: 524289 }, parts[1]] })).not.toBe(id);
    expect(datasetVersionId({ parts: [{ ...parts[0], sha256: sha256Hex('other') }, parts[1]] })).not.toBe(id);
    expect(datasetVersionId({ parts: [{ ...parts[0], path: 'part-0002.parquet' }, parts[1]] })).not.toBe(id);
  });

  it('refuses a manifest it cannot name, saying which part is at fault', () => {
    expect(() => datasetVersionId({ parts: [parts[0], { ...parts[1], sizeBytes: -1 }] })).toThrow(
      expect.objectContaining({ name: 'InvalidManifestError', partIndex: 1 }),
    );
    expect(() => datasetVersionId({} as never)).toThrow(InvalidManifestError);
  });

  it('names a slice by its dataset version and canonical criteria', () => {
    const dsv = datasetVersionId({ parts });
    const criteria = { source: 'web', sampling: { seed: 42, fraction: 0.5 } };
    expect(dataSliceId(dsv, criteria)).toBe(
      `slice:sha256:${sha256Hex(`{"criteria":{"sampling":{"fraction":0.5,"seed":42},"source":"web"},"datasetVersionId":"${dsv}"}`)}`,
    );
    expect(dataSliceId(dsv, { sampling: { fraction: 0.5, seed: 42 }, source: 'web' })).toBe(dataSliceId(dsv, criteria));
    expect(dataSliceId(dsv, { ...criteria, source: 'app' })).not.toBe(dataSliceId(dsv, criteria));
    expect(dataSliceId(datasetVersionId([parts[0]]), criteria)).not.toBe(dataSliceId(dsv, criteria));
  });

  it('refuses a slice of something that is not a dataset version id', () => {
    expect(() => dataSliceId(`sha256:${sha256Hex('x')}`, {})).toThrow(InvalidDigestError);
    expect(() => dataSliceId(`dsv:sha256:${sha256Hex('x').toUpperCase()}`, {})).toThrow(
      /dsv:sha256:<64 lowercase hex>/,
    );
  });

  it('digests a model artifact manifest by the same rules, without the dsv prefix', () => {
    expect(artifactManifestDigest(parts)).toBe(datasetVersionId({ parts }).slice('dsv:'.length));
    expect(artifactManifestDigest([parts[1], parts[0]])).toBe(artifactManifestDigest(parts));
  });
});
