import { digestOf, isDigest, parseDigest, payloadDigest, sha256Hex } from './digest';
import { InvalidDigestError, NonCanonicalizableValueError } from './integrity.errors';

describe('digests', () => {
  it('hashes bytes and the UTF-8 of strings with SHA-256 (FIPS 180-2 vectors)', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe(sha256Hex('abc'));
    expect(sha256Hex('€')).toBe(sha256Hex(Buffer.from([0xe2, 0x82, 0xac])));
  });

  it('digests the canonical JSON of a value, whatever its key order', () => {
    expect(digestOf({ b: 1, a: 'x' })).toBe(`sha256:${sha256Hex('{"a":"x","b":1}')}`);
    expect(payloadDigest({ a: 'x', b: 1 })).toBe(digestOf({ b: 1, a: 'x' }));
  });

  it('refuses to digest what is not plain JSON', () => {
    expect(() => payloadDigest({ at: new Date(0) })).toThrow(NonCanonicalizableValueError);
  });

  it('recognises sha256:<64 lowercase hex> and nothing else', () => {
    const hex = sha256Hex('abc');
    expect(isDigest(`sha256:${hex}`)).toBe(true);
    expect(parseDigest(`sha256:${hex}`)).toEqual({ algorithm: 'sha256', hex });
    for (const bad of [hex, `sha256:${hex.toUpperCase()}`, `sha256:${hex}0`, `sha512:${hex}`, ` sha256:${hex}`, 42]) {
      expect(isDigest(bad)).toBe(false);
      expect(() => parseDigest(bad as string)).toThrow(InvalidDigestError);
    }
  });
});
