import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type { EventEnvelope } from '@prov/contracts';
import { payloadDigest } from './digest';
import { generateSigningKeyPair, signEnvelope, signingKeyPairFromPem, verifyEnvelope } from './envelope-signature';

// RFC 8032 section 7.1, TEST 1 to 3: secret key, public key, message, signature (hex).
const RFC8032 = [
  [
    '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    '',
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  ],
  [
    '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    '72',
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  ],
  [
    'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    'af82',
    '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  ],
];

describe('Ed25519 (RFC 8032 vectors through Node crypto)', () => {
  it.each(RFC8032)('signs as the RFC says with secret key %s', (secret, publicHex, message, signature) => {
    const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
    const privateKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: b64(secret), x: b64(publicHex) },
      format: 'jwk',
    });
    expect(createPublicKey(privateKey).export({ format: 'jwk' }).x).toBe(b64(publicHex));
    expect(sign(null, Buffer.from(message, 'hex'), privateKey).toString('hex')).toBe(signature);
  });
});

describe('envelope signatures', () => {
  const keys = generateSigningKeyPair();
  const lookup = (keyId: string) => (keyId === keys.keyId ? keys.publicKey : undefined);
  const payload = { sliceId: 'slice:sha256:' + 'b'.repeat(64), reason: 'shifted labels', severity: 'high' };
  const unsigned: EventEnvelope = {
    eventId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718200',
    type: 'dataset.slice.flagged',
    schemaVersion: 1,
    subject: payload.sliceId,
    occurredAt: '2026-11-04T12:00:01Z',
    recordedAt: '2026-11-04T12:00:01.250Z',
    producer: { service: 'training-service', principal: 'alice' },
    payload,
    integrity: { payloadDigest: payloadDigest(payload) },
  };
  const signed = signEnvelope(unsigned, keys.privateKey, keys.keyId);

  it('signs with a key id derived from the public key', () => {
    expect(keys.keyId).toMatch(/^ed25519:[0-9a-f]{16}$/);
    expect(signed.integrity).toEqual({
      payloadDigest: unsigned.integrity.payloadDigest,
      signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
      keyId: keys.keyId,
    });
    expect(verifyEnvelope(signed, lookup)).toEqual({ ok: true, signed: true });
  });

  it.each([
    ['eventId', (e: EventEnvelope) => ({ ...e, eventId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718201' })],
    ['type', (e: EventEnvelope) => ({ ...e, type: 'dataset.slice.defined' })],
    ['schemaVersion', (e: EventEnvelope) => ({ ...e, schemaVersion: 2 })],
    ['subject', (e: EventEnvelope) => ({ ...e, subject: 'slice:sha256:' + 'c'.repeat(64) })],
    ['occurredAt', (e: EventEnvelope) => ({ ...e, occurredAt: '2026-11-04T12:00:02Z' })],
    ['recordedAt', (e: EventEnvelope) => ({ ...e, recordedAt: '2026-11-04T12:00:02Z' })],
    ['producer', (e: EventEnvelope) => ({ ...e, producer: { ...e.producer, principal: 'mallory' } })],
  ])('detects a changed %s', (_field, tamper) => {
    expect(verifyEnvelope(tamper(signed), lookup)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('detects a changed payload through its digest', () => {
    expect(verifyEnvelope({ ...signed, payload: { ...payload, severity: 'low' } }, lookup)).toEqual({
      ok: false,
      reason: 'payload-digest-mismatch',
    });
  });

  it('detects a payload digest changed to match a changed payload', () => {
    const changed = { ...payload, severity: 'low' };
    const forged = {
      ...signed,
      payload: changed,
      integrity: { ...signed.integrity, payloadDigest: payloadDigest(changed) },
    };
    expect(verifyEnvelope(forged, lookup)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('detects a changed signature and an unknown key', () => {
    const signature = signed.integrity.signature ?? '';
    const flipped = (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1);
    const badSignature = { ...signed, integrity: { ...signed.integrity, signature: flipped } };
    expect(verifyEnvelope(badSignature, lookup)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyEnvelope(signed, () => undefined)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(verifyEnvelope(signed, () => generateSigningKeyPair().publicKey)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('accepts an unsigned envelope only when signatures are not required', () => {
    expect(verifyEnvelope(unsigned, lookup)).toEqual({ ok: true, signed: false });
    expect(verifyEnvelope(unsigned, lookup, { requireSignature: true })).toEqual({
      ok: false,
      reason: 'missing-signature',
    });
  });

  it('loads a key pair from PEM with the same key id', () => {
    const pem = keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const loaded = signingKeyPairFromPem(pem);
    expect(loaded.keyId).toBe(keys.keyId);
    expect(verifyEnvelope(signEnvelope(unsigned, loaded.privateKey, loaded.keyId), lookup)).toEqual({
      ok: true,
      signed: true,
    });
  });
});
