import { validatePayload } from '@prov/contracts';
import { digestOf } from './digest';
import { generateSubjectKey, openSealedValue, sealValue, SealedValueError } from './sealed-value';

const KEY_ID = 'subjectkey:0190f1a4-8c1e-7b2a-9c3d-4e5f60718296';

describe('sealed values', () => {
  const key = generateSubjectKey();
  const value = { churn: 0.82, 'reasons.top': ['tenure', 'plan'], $note: null };

  it('opens to the value it sealed, and names it by the digest of the value', () => {
    const sealed = sealValue(value, key, KEY_ID, 'pred:1#output');
    expect(sealed).toMatchObject({ alg: 'A256GCM', keyId: KEY_ID, digest: digestOf(value) });
    expect(sealed.ciphertext).not.toContain('tenure');
    expect(openSealedValue(sealed, key, 'pred:1#output')).toEqual(value);
  });

  it('seals the same value differently each time (a fresh nonce)', () => {
    const [a, b] = [sealValue('yes', key, KEY_ID, 'c'), sealValue('yes', key, KEY_ID, 'c')];
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.digest).toBe(b.digest);
  });

  it('does not open with another key, in another place, under another key id, or altered', () => {
    const sealed = sealValue(value, key, KEY_ID, 'pred:1#output');
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] ^= 1;
    const attempts: Array<() => unknown> = [
      () => openSealedValue(sealed, generateSubjectKey(), 'pred:1#output'),
      () => openSealedValue(sealed, key, 'pred:2#output'),
      () =>
        openSealedValue({ ...sealed, keyId: 'subjectkey:0190f1a4-8c1e-7b2a-9c3d-4e5f60718297' }, key, 'pred:1#output'),
      () => openSealedValue({ ...sealed, ciphertext: flipped.toString('base64') }, key, 'pred:1#output'),
      () => openSealedValue({ ...sealed, ciphertext: 'AAAA' }, key, 'pred:1#output'),
      () => openSealedValue({ ...sealed, digest: digestOf('other') }, key, 'pred:1#output'),
      () => openSealedValue(sealed, Buffer.alloc(16), 'pred:1#output'),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(SealedValueError);
  });

  it('is a valid sealed value of the contracts', () => {
    const sealed = sealValue({ score: 1 }, key, KEY_ID, 'pred:1#output');
    const payload = {
      batchId: 'batch:0190f1a4-8c1e-7b2a-9c3d-4e5f60718295',
      deploymentId: 'deployment:churn-api',
      modelVersionId: 'model:churn@1',
      artifactDigest: digestOf('artifact'),
      predictions: [
        {
          predictionId: 'pred:1',
          at: '2026-11-04T12:00:00Z',
          inputDigest: digestOf('in'),
          dataSubject: 'c-1',
          sealedOutput: sealed,
        },
      ],
    };
    expect(validatePayload('prediction.batch.recorded', 2, payload)).toEqual([]);
  });
});
