import type { WrappedKey } from '@prov/integrity';
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyEncryptionKeys } from './key-encryption-keys.port';
import { InMemorySubjectKeyStore, type SubjectKeyRecord } from './in-memory-subject-key-store';

/** A key file as written: the key wrapped, or (written before keys were wrapped) in the clear, base64. */
interface StoredKey {
  keyId: string;
  dataSubject: string;
  wrapped?: WrappedKey | null;
  key?: string | null;
  destroyedAt?: string;
}

/**
 * Subject keys as one small file each in a directory of the embedded data
 * directory (the event log is never the place for them), each key wrapped.
 * A destroyed key's file is replaced by a tombstone, synced, before the
 * erasure counts. A key found in the clear (written before keys were
 * wrapped) is wrapped when the store opens.
 */
export class FileSubjectKeyStore extends InMemorySubjectKeyStore {
  private constructor(
    private readonly directory: string,
    keks: KeyEncryptionKeys,
  ) {
    super(keks);
  }

  static async open(directory: string, keks: KeyEncryptionKeys): Promise<FileSubjectKeyStore> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const store = new FileSubjectKeyStore(directory, keks);
    for (const name of await readdir(directory)) {
      if (!name.endsWith('.json')) continue;
      const stored = JSON.parse(await readFile(join(directory, name), 'utf8')) as StoredKey;
      const record: SubjectKeyRecord = {
        keyId: stored.keyId,
        dataSubject: stored.dataSubject,
        wrapped: stored.wrapped ?? null,
        ...(stored.destroyedAt ? { destroyedAt: stored.destroyedAt } : {}),
      };
      if (typeof stored.key === 'string') {
        record.wrapped = await keks.wrap(stored.keyId, Buffer.from(stored.key, 'base64'));
        await store.persist(record);
      }
      store.records.set(stored.keyId, record);
    }
    return store;
  }

  protected override async persist(record: SubjectKeyRecord): Promise<void> {
    const name = `${record.keyId.slice('subjectkey:'.length)}.json`;
    const temporary = join(this.directory, `.${name}.tmp`);
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(JSON.stringify(record));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, join(this.directory, name));
    const directory = await open(this.directory, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
}
