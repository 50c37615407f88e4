import { KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { InvalidSigningKeyError } from './integrity.errors';

/** A producing service's Ed25519 key pair and the id verifiers look its public key up by. */
export interface SigningKeyPair {
  /** `ed25519:` + the first 16 hex characters of the SHA-256 of the raw public key. */
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM of the public key, for key registries, checkpoints and offline audit bundles. */
  publicKeyPem: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  assertEd25519(publicKey);
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return `ed25519:${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
}

export function generateSigningKeyPair(): SigningKeyPair {
  return keyPairOf(generateKeyPairSync('ed25519').privateKey);
}

/** Loads a key pair from a PKCS#8 PEM private key, as kept in a key file or secret. */
export function signingKeyPairFromPem(pem: string): SigningKeyPair {
  return keyPairOf(createPrivateKey(pem));
}

function keyPairOf(privateKey: KeyObject): SigningKeyPair {
  assertEd25519(privateKey);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  return { keyId: keyIdOf(publicKey), privateKey, publicKey, publicKeyPem };
}

function assertEd25519(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new InvalidSigningKeyError(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? key.type}`);
  }
}
