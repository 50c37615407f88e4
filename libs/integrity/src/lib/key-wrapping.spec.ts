import { generateKeyEncryptionKey, KeyUnwrapError, unwrapKey, wrapKey } from './key-wrapping';
import { generateSubjectKey } from './sealed-value';

describe('wrapping keys under a key-encryption key', () => {
  const kek = generateKeyEncryptionKey();
  const key = generateSubjectKey();
  const wrapped = wrapKey(key, 'subjectkey:1', kek, 'kek:a');

  it('unwraps with the same key-encryption key, and holds no byte run of the key in the clear', () => {
    expect(unwrapKey(wrapped, 'subjectkey:1', kek).equals(key)).toBe(true);
    const stored = Buffer.from(JSON.stringify(wrapped));
    expect(stored.includes(key)).toBe(false);
    expect(stored.includes(Buffer.from(key.toString('base64')))).toBe(false);
    expect(Buffer.from(wrapped.ciphertext, 'base64').includes(key.subarray(0, 8))).toBe(false);
  });

  it('does not unwrap with another key-encryption key, for another key id, or altered', () => {
    expect(() => unwrapKey(wrapped, 'subjectkey:1', generateKeyEncryptionKey())).toThrow(KeyUnwrapError);
    expect(() => unwrapKey(wrapped, 'subjectkey:2', kek)).toThrow(KeyUnwrapError);
    expect(() => unwrapKey({ ...wrapped, kekId: 'kek:b' }, 'subjectkey:1', kek)).toThrow(KeyUnwrapError);
    const bytes = Buffer.from(wrapped.ciphertext, 'base64');
    bytes[0] ^= 1;
    expect(() => unwrapKey({ ...wrapped, ciphertext: bytes.toString('base64') }, 'subjectkey:1', kek)).toThrow(
      KeyUnwrapError,
    );
  });

  it('wraps the same key differently each time', () => {
    expect(wrapKey(key, 'subjectkey:1', kek, 'kek:a').ciphertext).not.toBe(wrapped.ciphertext);
  });
});
