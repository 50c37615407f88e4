import { generateSubjectKey } from '@prov/integrity';
import { v4 as uuidv4 } from 'uuid';
import { subjectKeyId, type SubjectKey, type SubjectKeyState, type SubjectKeyStore } from './subject-key-store.port';

interface KeyRecord {
  keyId: string;
  dataSubject: string;
  key: Buffer | null;
  destroyedAt?: string;
}

/** Keys in a map, for tests and for stores that persist the map themselves (the file store). */
export class InMemorySubjectKeyStore implements SubjectKeyStore {
  protected readonly records = new Map<string, KeyRecord>();

  async activeKey(dataSubject: string): Promise<SubjectKey> {
    for (const record of this.records.values())
      if (record.dataSubject === dataSubject && record.key) return { keyId: record.keyId, key: record.key };
    const record: KeyRecord = { keyId: subjectKeyId(uuidv4()), dataSubject, key: generateSubjectKey() };
    await this.persist(record);
    this.records.set(record.keyId, record);
    return { keyId: record.keyId, key: record.key as Buffer };
  }

  async keys(keyIds: readonly string[]): Promise<Map<string, SubjectKeyState>> {
    const states = new Map<string, SubjectKeyState>();
    for (const keyId of keyIds) {
      const record = this.records.get(keyId);
      if (!record) continue;
      states.set(
        keyId,
        record.key
          ? { state: 'active', key: record.key }
          : { state: 'destroyed', destroyedAt: record.destroyedAt ?? '' },
      );
    }
    return states;
  }

  async destroy(dataSubject: string): Promise<string[]> {
    const destroyed: string[] = [];
    for (const record of [...this.records.values()]) {
      if (record.dataSubject !== dataSubject || !record.key) continue;
      const tombstone: KeyRecord = {
        keyId: record.keyId,
        dataSubject,
        key: null,
        destroyedAt: new Date().toISOString(),
      };
      await this.persist(tombstone);
      record.key.fill(0);
      this.records.set(record.keyId, tombstone);
      destroyed.push(record.keyId);
    }
    return destroyed;
  }

  async close(): Promise<void> {
    /* nothing held open */
  }

  /** Where a durable subclass writes a record before it counts. */
  protected async persist(_record: KeyRecord): Promise<void> {
    /* kept in memory only */
  }
}

export type { KeyRecord as SubjectKeyRecord };
