import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KeyringKeyEncryptionKeys, newKeyring, type Keyring } from './keyring-key-encryption-keys';

/**
 * Key-encryption keys in one keyring file (mode 0600), created with a first
 * key when absent. Every process that wraps or unwraps subject keys reads
 * the same file (a mounted secret in production) and reads it again when it
 * changed, so a rotation made by one is seen by the others. A retired key is
 * gone from the file, which is replaced whole: what it wrapped no longer
 * opens.
 */
export class FileKeyEncryptionKeys extends KeyringKeyEncryptionKeys {
  private loaded?: { version: string; keyring: Keyring };

  constructor(readonly file: string) {
    super();
  }

  protected async read(): Promise<Keyring> {
    let version = await this.version();
    if (version === undefined) {
      await this.create();
      version = (await this.version()) as string;
    }
    if (this.loaded?.version !== version) {
      this.loaded = { version, keyring: JSON.parse(await readFile(this.file, 'utf8')) as Keyring };
    }
    return this.loaded.keyring;
  }

  protected async write(keyring: Keyring): Promise<void> {
    const temporary = await this.written(keyring);
    await rename(temporary, this.file);
    this.loaded = undefined;
  }

  /** A first keyring, unless another process made one meanwhile: then that one stands. */
  private async create(): Promise<void> {
    const temporary = await this.written(newKeyring());
    try {
      await link(temporary, this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temporary);
    }
  }

  private async written(keyring: Keyring): Promise<string> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(keyring, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temporary;
  }

  private async version(): Promise<string | undefined> {
    try {
      const info = await stat(this.file);
      return `${info.ino}/${info.mtimeMs}/${info.size}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
