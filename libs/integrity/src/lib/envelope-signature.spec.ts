import type { EventEnvelope } from '@prov/contracts';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { digestOf, payloadDigest } from './digest';
import {
  envelopeSigningInput,
  eventDigest,
  signEnvelope,
  verifyEnvelope,
  verifyEnvelopeSignature,
} from './envelope-signature';
import { InvalidSigningKeyError } from './integrity.errors';
import { generateSigningKeyPair } from './signing-key';

const keys = generateSigningKeyPair();
const otherKeys = generateSigningKeyPair();
const lookup = (keyId: string) => ({ [keys.keyId]: keys.publicKey, [otherKeys.keyId]: otherKeys.publicKey })[keyId];

const payload = { sliceId: `slice:sha256:${'b'.repeat(64)}`, reason: 'labels shifted in March', flaggedBy: 'alice' };
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
const withIntegrity = (e: EventEnvelope, integrity: Partial<EventEnvelope['integrity']>): EventEnvelope => ({
  ...e,
  integrity: { ...e.integrity, ...integrity },
});
const BAD_SIGNATURE = { ok: false, reason: 'bad-signature' };

describe('envelope signatures', () => {
  it('signs the canonical header with the payload digest, leaving out the payload and the signature', () => {
    expect(envelopeSigningInput(signed).toString('utf8')).toBe(
      '{"eventId":"0190f1a4-8c1e-7b2a-9c3d-4e5f60718200",' +
        `"integrity":{"payloadDigest":"${payloadDigest(payload)}"},` +
        '"occurredAt":"2026-11-04T12:00:01Z","producer":{"principal":"alice","service":"training-service"},' +
        `"recordedAt":"2026-11-04T12:00:01.250Z","schemaVersion":1,"subject":"${payload.sliceId}",` +
        '"type":"dataset.slice.flagged"}',
    );
  });

  it('gives a copy of an event the same event digest however it is signed, and another content another one', () => {
    const resigned = signEnvelope(signed, otherKeys.privateKey, otherKeys.keyId);
    expect(eventDigest(signed)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(eventDigest(resigned)).toBe(eventDigest(signed));
    expect(eventDigest(unsigned)).toBe(eventDigest(signed));
    const otherPayload = { ...payload, reason: 'labels shifted in April' };
    expect(
      eventDigest({ ...signed, payload: otherPayload, integrity: { payloadDigest: payloadDigest(otherPayload) } }),
    ).not.toBe(eventDigest(signed));
    expect(eventDigest({ ...signed, recordedAt: '2026-11-04T12:00:02Z' })).not.toBe(eventDigest(signed));
  });

  it('adds a base64url signature and the key id, and verifies', () => {
    expect(signed).toEqual({
      ...unsigned,
      integrity: {
        payloadDigest: payloadDigest(payload),
        signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
        keyId: keys.keyId,
      },
    });
    expect(verifyEnvelope(signed, lookup)).toEqual({ ok: true, signed: true });
    expect(unsigned.integrity).toEqual({ payloadDigest: payloadDigest(payload) });
  });

  it('signs again with another key, replacing the old signature', () => {
    const resigned = signEnvelope(signed, otherKeys.privateKey, otherKeys.keyId);
    expect(resigned.integrity.keyId).toBe(otherKeys.keyId);
    expect(verifyEnvelope(resigned, lookup)).toEqual({ ok: true, signed: true });
  });

  it.each<[string, (e: EventEnvelope) => EventEnvelope]>([
    ['eventId', (e) => ({ ...e, eventId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718201' })],
    ['type', (e) => ({ ...e, type: 'dataset.slice.defined' })],
    ['schemaVersion', (e) => ({ ...e, schemaVersion: 2 })],
    ['subject', (e) => ({ ...e, subject: `slice:sha256:${'c'.repeat(64)}` })],
    ['occurredAt', (e) => ({ ...e, occurredAt: '2026-11-04T12:00:02Z' })],
    ['recordedAt', (e) => ({ ...e, recordedAt: '2026-11-04T12:00:02Z' })],
    ['producer.service', (e) => ({ ...e, producer: { ...e.producer, service: 'registry-service' } })],
    ['producer.principal', (e) => ({ ...e, producer: { ...e.producer, principal: 'mallory' } })],
    ['an added header field', (e) => ({ ...e, extra: true }) as EventEnvelope],
  ])('detects a changed %s', (_field, tamper) => {
    expect(verifyEnvelope(tamper(signed), lookup)).toEqual(BAD_SIGNATURE);
  });

  it('detects any new string in any header field', () => {
    const fields = ['eventId', 'type', 'subject', 'occurredAt', 'recordedAt'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.string({ unit: 'binary' }), (field, value) => {
        fc.pre(value !== signed[field]);
        expect(verifyEnvelope({ ...signed, [field]: value }, lookup)).toEqual(BAD_SIGNATURE);
      }),
    );
  });

  it('detects a changed payload through its digest', () => {
    expect(verifyEnvelope({ ...signed, payload: { ...payload, reason: 'none' } }, lookup)).toEqual({
      ok: false,
      reason: 'payload-digest-mismatch',
    });
  });

  it('detects a payload digest changed to match a changed payload', () => {
    const changed = { ...payload, reason: 'none' };
    const forged = withIntegrity({ ...signed, payload: changed }, { payloadDigest: payloadDigest(changed) });
    expect(verifyEnvelope(forged, lookup)).toEqual(BAD_SIGNATURE);
  });

  it('still verifies the header of an envelope whose payload values were redacted to digests', () => {
    const redacted = { ...signed, payload: { ...payload, flaggedBy: digestOf(payload.flaggedBy) } };
    expect(verifyEnvelope(redacted, lookup)).toEqual({ ok: false, reason: 'payload-digest-mismatch' });
    expect(verifyEnvelopeSignature(redacted, lookup)).toEqual({ ok: true, signed: true });
  });

  it('ignores upcastFrom, which readers add after publication', () => {
    expect(verifyEnvelope({ ...signed, upcastFrom: 1 }, lookup)).toEqual({ ok: true, signed: true });
  });

  it('detects a changed, truncated or padded signature', () => {
    const signature = signed.integrity.signature ?? '';
    const flipped = (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1);
    for (const bad of [flipped, signature.slice(0, 85), `${signature}==`, '', signature.replace(/./g, 'A')]) {
      expect(verifyEnvelope(withIntegrity(signed, { signature: bad }), lookup)).toEqual(BAD_SIGNATURE);
    }
  });

  it('accepts only the canonical spelling of the signature', () => {
    // The last of 86 characters carries 2 signature bits and 4 padding bits; changing a padding bit keeps the bytes.
    const signature = signed.integrity.signature ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = signature.slice(0, 85) + alphabet[alphabet.indexOf(signature[85]) ^ 1];
    expect(Buffer.from(respelled, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    expect(verifyEnvelope(withIntegrity(signed, { signature: respelled }), lookup)).toEqual(BAD_SIGNATURE);
  });

  it('refuses a key id nobody knows, and a known key that did not sign', () => {
    expect(verifyEnvelope(withIntegrity(signed, { keyId: 'ed25519:0000000000000000' }), lookup)).toEqual({
      ok: false,
      reason: 'unknown-key',
    });
    expect(verifyEnvelope(withIntegrity(signed, { keyId: otherKeys.keyId }), lookup)).toEqual(BAD_SIGNATURE);
    expect(verifyEnvelope(withIntegrity(signed, { keyId: undefined }), lookup)).toEqual({
      ok: false,
      reason: 'unknown-key',
    });
  });

  it('requires a signature unless told otherwise', () => {
    expect(verifyEnvelope(unsigned, lookup)).toEqual({ ok: false, reason: 'missing-signature' });
    expect(verifyEnvelope(unsigned, lookup, { requireSignature: true })).toEqual({
      ok: false,
      reason: 'missing-signature',
    });
    expect(verifyEnvelope(unsigned, lookup, { requireSignature: false })).toEqual({ ok: true, signed: false });
    expect(
      verifyEnvelope(withIntegrity(signed, { signature: undefined }), lookup, { requireSignature: false }),
    ).toEqual({
      ok: false,
      reason: 'missing-signature',
    });
  });

  it('answers hostile envelopes instead of throwing', () => {
    const lone = '\ud800';
    expect(verifyEnvelope({ ...signed, subject: lone }, lookup)).toEqual(BAD_SIGNATURE);
    expect(verifyEnvelope({ ...signed, payload: { reason: lone } }, lookup)).toEqual({
      ok: false,
      reason: 'payload-digest-mismatch',
    });
    expect(verifyEnvelope(withIntegrity(signed, { signature: 42 as unknown as string }), lookup)).toEqual(
      BAD_SIGNATURE,
    );
    const withoutIntegrity = { ...signed, integrity: undefined } as unknown as EventEnvelope;
    expect(verifyEnvelope(withoutIntegrity, lookup)).toEqual({ ok: false, reason: 'payload-digest-mismatch' });
    expect(verifyEnvelopeSignature(withoutIntegrity, lookup)).toEqual({ ok: false, reason: 'missing-signature' });
  });

  it('refuses keys that are not Ed25519, on either side', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signEnvelope(unsigned, ec.privateKey, 'ec:1')).toThrow(InvalidSigningKeyError);
    expect(() => verifyEnvelope(signed, () => ec.publicKey)).toThrow(InvalidSigningKeyError);
  });
});
