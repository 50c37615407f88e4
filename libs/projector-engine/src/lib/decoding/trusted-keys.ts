import { keyIdOf } from '@prov/integrity';
import { KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';

/** A producer's signing key the projector trusts, and the one service that signs with it. */
export interface TrustedKey {
  keyId: string;
  service: string;
  publicKey: KeyObject;
}

/**
 * The keys events must be signed with, by key id. A key vouches only for
 * its own service: an event signed by the inference service's key but
 * claiming to come from the registry is refused.
 */
export class TrustedKeys {
  private readonly byId = new Map<string, TrustedKey>();

  /**
   * `reload`, when given, is asked for the keys again whenever an unknown key
   * id comes: services of the embedded mode create their keys when they first
   * start, possibly after the projector did, and an event refused for want of
   * a key that exists would be refused for good.
   */
  constructor(
    keys: Iterable<TrustedKey>,
    private readonly reload?: () => Iterable<TrustedKey>,
  ) {
    this.add(keys);
  }

  /** From PEM text (a public key, or a private key whose public half is taken). */
  static fromPem(
    entries: Array<{ service: string; pem: string }>,
    reload?: () => Array<{ service: string; pem: string }>,
  ): TrustedKeys {
    return new TrustedKeys(keysOf(entries), reload && (() => keysOf(reload())));
  }

  get(keyId: string): TrustedKey | undefined {
    const key = this.byId.get(keyId);
    if (key || !this.reload) return key;
    this.add(this.reload());
    return this.byId.get(keyId);
  }

  get size(): number {
    return this.byId.size;
  }

  private add(keys: Iterable<TrustedKey>): void {
    for (const key of keys) this.byId.set(key.keyId, key);
  }
}

function keysOf(entries: Array<{ service: string; pem: string }>): TrustedKey[] {
  return entries.map(({ service, pem }) => {
    const publicKey = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
    if (publicKey.asymmetricKeyType !== 'ed25519') {
      throw new Error(`the trusted key of ${service} is not an Ed25519 key`);
    }
    return { keyId: keyIdOf(publicKey), service, publicKey };
  });
}
