import { generateSubjectKey, type WrappedKey } from '@prov/integrity';
import { v4 as uuidv4 } from 'uuid';
import type { KeyEncryptionKeys } from './key-encryption-keys.port';
import {
  subjectKeyId,
  type SubjectKey,
  type SubjectKeyHistory,
  type SubjectKeyState,
  type SubjectKeyStore,
} from './subject-key-store.port';

interface KeyRecord {
  keyId: string;
  dataSubject: string;
  /** The key, wrapped under a key-encryption key; null once destroyed. */
  wrapped: WrappedKey | null;
  destroyedAt?: string;
}

/** Keys in a map, for tests and for stores that persist the map themselves (the file store). */
export class InMemorySubjectKeyStore implements SubjectKeyStore {
  protected readonly records = new Map<string, KeyRecord>();

  constructor(protected readonly keks: KeyEncryptionKeys) {}

  async activeKey(dataSubject: string): Promise<SubjectKey> {
    for (const record of this.records.values())
      if (record.dataSubject === dataSubject && record.wrapped)
        return { keyId: record.keyId, key: await this.keks.unwrap(record.keyId, record.wrapped) };
    const keyId = subjectKeyId(uuidv4());
    const key = generateSubjectKey();
    const record: KeyRecord = { keyId, dataSubject, wrapped: await this.keks.wrap(keyId, key) };
    await this.persist(record);
    this.records.set(record.keyId, record);
    return { keyId, key };
  }

  async keys(keyIds: readonly string[]): Promise<Map<string, SubjectKeyState>> {
    const states = new Map<string, SubjectKeyState>();
    for (const keyId of keyIds) {
      const record = this.records.get(keyId);
      if (!record) continue;
      states.set(
        keyId,
        record.wrapped
          ? { state: 'active', key: await this.keks.unwrap(keyId, record.wrapped) }
          : { state: 'destroyed', destroyedAt: record.destroyedAt ?? '' },
      );
    }
    return states;
  }

  async destroy(dataSubject: string): Promise<string[]> {
    const destroyed: string[] = [];
    for (const record of [...this.records.values()]) {
      if (record.dataSubject !== dataSubject || !record.wrapped) continue;
      const tombstone: KeyRecord = {
        keyId: record.keyId,
        dataSubject,
        wrapped: null,
        destroyedAt: new Date().toISOString(),
      };
      await this.persist(tombstone);
      this.records.set(record.keyId, tombstone);
      destroyed.push(record.keyId);
    }
    return destroyed.sort();
  }

  async history(dataSubject: string): Promise<SubjectKeyHistory> {
    const records = [...this.records.values()].filter((r) => r.dataSubject === dataSubject);
    return {
      known: records.length > 0,
      destroyed: records
        .filter((r) => !r.wrapped)
        .map((r) => ({ keyId: r.keyId, destroyedAt: r.destroyedAt ?? '' }))
        .sort((a, b) => a.keyId.localeCompare(b.keyId)),
    };
  }

  async rewrap(): Promise<number> {
    const current = await this.keks.currentId();
    let rewrapped = 0;
    for (const record of [...this.records.values()]) {
      if (!record.wrapped || record.wrapped.kekId === current) continue;
      const key = await this.keks.unwrap(record.keyId, record.wrapped);
      const next: KeyRecord = { ...record, wrapped: await this.keks.wrap(record.keyId, key) };
      await this.persist(next);
      this.records.set(record.keyId, next);
      rewrapped += 1;
    }
    return rewrapped;
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
