import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { InMemorySubjectKeyStore, type SubjectKeyRecord } from './in-memory-subject-key-store';

/**
 * Subject keys as one small file each in a directory of the embedded data
 * directory (the event log is never the place for them). A destroyed key's
 * file is overwritten with a tombstone, synced, before the erasure counts.
 */
export class FileSubjectKeyStore extends InMemorySubjectKeyStore {
  private constructor(private readonly directory: string) {
    super();
  }

  static async open(directory: string): Promise<FileSubjectKeyStore> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const store = new FileSubjectKeyStore(directory);
    for (const name of await readdir(directory)) {
      if (!name.endsWith('.json')) continue;
      const stored = JSON.parse(await readFile(join(directory, name), 'utf8')) as {
        keyId: string;
        dataSubject: string;
        key: string | null;
        destroyedAt?: string;
      };
      store.records.set(stored.keyId, {
        keyId: stored.keyId,
        dataSubject: stored.dataSubject,
        key: stored.key === null ? null : Buffer.from(stored.key, 'base64'),
        ...(stored.destroyedAt ? { destroyedAt: stored.destroyedAt } : {}),
      });
    }
    return store;
  }

  protected override async persist(record: SubjectKeyRecord): Promise<void> {
    const name = `${record.keyId.slice('subjectkey:'.length)}.json`;
    const temporary = join(this.directory, `.${name}.tmp`);
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(JSON.stringify({ ...record, key: record.key ? record.key.toString('base64') : null }));
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
