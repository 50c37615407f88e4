import { KeyObject, sign, verify } from 'node:crypto';

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse, protocol v1.0): base64 payload and its signatures. */
export interface DsseEnvelope {
  payloadType: string;
  /** Standard base64 of the payload bytes. */
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

/** DSSE's pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(body)> <body>`, lengths in bytes. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

/** Signs a payload into a DSSE envelope with an Ed25519 key: the signature covers the PAE, never the bare payload. */
export function signDsse(payloadType: string, payload: Buffer, privateKey: KeyObject, keyId: string): DsseEnvelope {
  const sig = sign(null, preAuthEncoding(payloadType, payload), privateKey).toString('base64');
  return { payloadType, payload: payload.toString('base64'), signatures: [{ keyid: keyId, sig }] };
}

/** The payload, when a signature of `keyId` by this public key verifies over the envelope's PAE; undefined otherwise. */
export function verifyDsse(envelope: DsseEnvelope, publicKey: KeyObject, keyId: string): Buffer | undefined {
  const payload = Buffer.from(envelope.payload, 'base64');
  const pae = preAuthEncoding(envelope.payloadType, payload);
  const signed = envelope.signatures.some(
    (s) => s.keyid === keyId && verify(null, pae, publicKey, Buffer.from(s.sig, 'base64')),
  );
  return signed ? payload : undefined;
}
