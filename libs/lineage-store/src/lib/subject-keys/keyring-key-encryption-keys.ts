import { generateKeyEncryptionKey, KeyUnwrapError, unwrapKey, wrapKey, type WrappedKey } from '@prov/integrity';
import { createHmac, randomBytes } from 'node:crypto';
import { v4 as uuidv4 } from 'uuid';
import type { KeyEncryptionKeys } from './key-encryption-keys.port';

/**
 * The key-encryption keys as a keyring keeps them: the current one's id, and
 * every key not yet retired; and the key of the subjects' pseudonyms.
 */
export interface Keyring {
  current: string;
  keys: Array<{ id: string; key: string; createdAt: string }>;
  /** Base64; kept across rotations (a subject's pseudonym never changes). */
  pseudonymKey: string;
}

export function newKeyring(): Keyring {
  const first = newKey();
  return { current: first.id, keys: [first], pseudonymKey: randomBytes(32).toString('base64') };
}

function newKey(): Keyring['keys'][number] {
  return {
    id: `kek:${uuidv4()}`,
    key: generateKeyEncryptionKey().toString('base64'),
    createdAt: new Date().toISOString(),
  };
}

/**
 * Wrapping, rotation and retirement over a keyring that a subclass reads
 * and writes (a file, or memory). Changes made by this process run one at a
 * time, each on the keyring as last written.
 */
export abstract class KeyringKeyEncryptionKeys implements KeyEncryptionKeys {
  private serial: Promise<unknown> = Promise.resolve();

  /** The keyring as kept now. */
  protected abstract read(): Promise<Keyring>;
  /** Replaces the keyring, so that a reader sees either the old one or the new one whole. */
  protected abstract write(keyring: Keyring): Promise<void>;

  async wrap(keyId: string, key: Buffer): Promise<WrappedKey> {
    const keyring = await this.read();
    return wrapKey(key, keyId, keyOf(keyring, keyring.current) as Buffer, keyring.current);
  }

  async unwrap(keyId: string, wrapped: WrappedKey): Promise<Buffer> {
    const kek = keyOf(await this.read(), wrapped.kekId);
    if (!kek) throw new KeyUnwrapError(`the key-encryption key ${wrapped.kekId} of ${keyId} was retired`);
    return unwrapKey(wrapped, keyId, kek);
  }

  async currentId(): Promise<string> {
    return (await this.read()).current;
  }

  async pseudonym(dataSubject: string): Promise<string> {
    const key = Buffer.from((await this.read()).pseudonymKey, 'base64');
    return `psn:${createHmac('sha256', key).update(dataSubject, 'utf8').digest('hex')}`;
  }

  rotate(): Promise<string> {
    return this.change((keyring) => {
      const key = newKey();
      return { keyring: { ...keyring, current: key.id, keys: [...keyring.keys, key] }, result: key.id };
    });
  }

  retireAllButCurrent(): Promise<string[]> {
    return this.change((keyring) => ({
      keyring: { ...keyring, keys: keyring.keys.filter((k) => k.id === keyring.current) },
      result: keyring.keys.filter((k) => k.id !== keyring.current).map((k) => k.id),
    }));
  }

  private change<T>(apply: (keyring: Keyring) => { keyring: Keyring; result: T }): Promise<T> {
    const run = this.serial.then(async () => {
      const { keyring, result } = apply(await this.read());
      await this.write(keyring);
      return result;
    });
    this.serial = run.catch(() => undefined);
    return run;
  }
}

function keyOf(keyring: Keyring, id: string): Buffer | undefined {
  const found = keyring.keys.find((k) => k.id === id);
  return found ? Buffer.from(found.key, 'base64') : undefined;
}

/** A keyring in memory, for tests and for a platform that keeps nothing on disk. */
export class InMemoryKeyEncryptionKeys extends KeyringKeyEncryptionKeys {
  private keyring = newKeyring();

  protected async read(): Promise<Keyring> {
    return this.keyring;
  }

  protected async write(keyring: Keyring): Promise<void> {
    this.keyring = keyring;
  }
}
