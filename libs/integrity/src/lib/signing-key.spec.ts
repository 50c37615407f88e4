import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { sha256Hex } from './digest';
import { InvalidSigningKeyError } from './integrity.errors';
import { generateSigningKeyPair, keyIdOf, signingKeyPairFromPem } from './signing-key';

// RFC 8032 section 7.1, TEST 1 to 3: secret key, public key, message, signature (hex).
const RFC8032 = [
  [
    'TEST 1',
    '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    '',
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  ],
  [
    'TEST 2',
    '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    '72',
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  ],
  [
    'TEST 3',
    'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    'af82',
    '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  ],
];

const b64url = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');

describe('Ed25519 signing keys', () => {
  it.each(RFC8032)('signs and verifies as RFC 8032 %s says', (_test, secret, publicHex, message, signature) => {
    const privateKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: b64url(secret), x: b64url(publicHex) },
      format: 'jwk',
    });
    const publicKey = createPublicKey(privateKey);
    expect(publicKey.export({ format: 'jwk' }).x).toBe(b64url(publicHex));
    expect(sign(null, Buffer.from(message, 'hex'), privateKey).toString('hex')).toBe(signature);
    expect(verify(null, Buffer.from(message, 'hex'), publicKey, Buffer.from(signature, 'hex'))).toBe(true);
    expect(verify(null, Buffer.from(message + '00', 'hex'), publicKey, Buffer.from(signature, 'hex'))).toBe(false);
    expect(keyIdOf(publicKey)).toBe(`ed25519:${sha256Hex(Buffer.from(publicHex, 'hex')).slice(0, 16)}`);
  });

  it('generates a key pair with its key id and a public PEM that loads to the same key', () => {
    const keys = generateSigningKeyPair();
    expect(keys.keyId).toMatch(/^ed25519:[0-9a-f]{16}$/);
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(keyIdOf(createPublicKey(keys.publicKeyPem))).toBe(keys.keyId);
    expect(generateSigningKeyPair().keyId).not.toBe(keys.keyId);
  });

  it('loads a key pair from a PKCS#8 PEM with the same key id', () => {
    const keys = generateSigningKeyPair();
    const loaded = signingKeyPairFromPem(keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    expect(loaded.keyId).toBe(keys.keyId);
    expect(loaded.publicKeyPem).toBe(keys.publicKeyPem);
  });

  it('refuses keys that are not Ed25519', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signingKeyPairFromPem(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(
      InvalidSigningKeyError,
    );
    expect(() => keyIdOf(publicKey)).toThrow(/expected an Ed25519 key, got ec/);
  });
});
