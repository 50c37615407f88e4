import { processLogger } from '@prov/logging';
import { generateSubjectKey, type WrappedKey } from '@prov/integrity';
import { Binary, MongoClient, type Collection, type Db } from 'mongodb';
import { v4 as uuidv4 } from 'uuid';
import type { KeyEncryptionKeys } from '../subject-keys/key-encryption-keys.port';
import {
  subjectKeyId,
  type SubjectKey,
  type SubjectKeyHistory,
  type SubjectKeyState,
  type SubjectKeyStore,
} from '../subject-keys/subject-key-store.port';
import { guarded } from './driver-errors';
import type { MongoLineageStoreOptions } from './mongodb-lineage-store.options';
import { mongodbDriverLog } from './driver-log';

interface KeyDocument {
  _id: string;
  dataSubject: string;
  /** The key wrapped under a key-encryption key; null once destroyed. */
  wrapped: WrappedKey | null;
  /** Only in documents written before keys were wrapped: the key in the clear, wrapped when the store is prepared. */
  key?: Binary | null;
  createdAt: string;
  destroyedAt: string | null;
}

export const SUBJECT_KEYS_COLLECTION = 'subject_keys';

/**
 * Subject keys in one collection beside the views, each stored wrapped under
 * a key-encryption key that the store never sees. Two replicas creating a
 * first key for one subject at once may both succeed: both keys are the
 * subject's, and an erasure destroys every one.
 */
export class MongoSubjectKeyStore implements SubjectKeyStore {
  private readonly collection: Collection<KeyDocument>;

  constructor(
    db: Db,
    private readonly keks: KeyEncryptionKeys,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {
    this.collection = db.collection<KeyDocument>(SUBJECT_KEYS_COLLECTION);
  }

  /** A store with its own connection (for a service that holds no views, such as the inference service). */
  static connect(options: MongoLineageStoreOptions, keks: KeyEncryptionKeys): Promise<MongoSubjectKeyStore> {
    return guarded('connect', async () => {
      const client = new MongoClient(options.uri, {
        serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 30_000,
        mongodbLogPath: mongodbDriverLog(processLogger()),
        appName: 'subject-keys',
      });
      await client.connect();
      try {
        const store = new MongoSubjectKeyStore(client.db(options.database ?? 'provenance'), keks, () => client.close());
        await store.prepare();
        return store;
      } catch (error) {
        await client.close();
        throw error;
      }
    });
  }

  /** Creates the index, and wraps any key written in the clear before keys were wrapped. */
  prepare(): Promise<void> {
    return guarded('prepare subject keys', async () => {
      await this.collection.createIndex({ dataSubject: 1 });
      for (const legacy of await this.collection.find({ key: { $ne: null }, destroyedAt: null }).toArray()) {
        if (!legacy.key) continue;
        const wrapped = await this.keks.wrap(legacy._id, Buffer.from(legacy.key.buffer));
        await this.collection.updateOne({ _id: legacy._id }, { $set: { wrapped }, $unset: { key: '' } });
      }
    });
  }

  activeKey(dataSubject: string): Promise<SubjectKey> {
    return guarded('read subject key', async () => {
      const found = await this.collection.findOne({ dataSubject, destroyedAt: null });
      if (found?.wrapped) return { keyId: found._id, key: await this.keks.unwrap(found._id, found.wrapped) };
      const keyId = subjectKeyId(uuidv4());
      const key = generateSubjectKey();
      await this.collection.insertOne({
        _id: keyId,
        dataSubject,
        wrapped: await this.keks.wrap(keyId, key),
        createdAt: new Date().toISOString(),
        destroyedAt: null,
      });
      return { keyId, key };
    });
  }

  keys(keyIds: readonly string[]): Promise<Map<string, SubjectKeyState>> {
    return guarded('read subject keys', async () => {
      const states = new Map<string, SubjectKeyState>();
      if (keyIds.length === 0) return states;
      for (const document of await this.collection.find({ _id: { $in: [...new Set(keyIds)] } }).toArray()) {
        states.set(
          document._id,
          document.wrapped && document.destroyedAt === null
            ? { state: 'active', key: await this.keks.unwrap(document._id, document.wrapped) }
            : { state: 'destroyed', destroyedAt: document.destroyedAt ?? '' },
        );
      }
      return states;
    });
  }

  destroy(dataSubject: string): Promise<string[]> {
    return guarded('destroy subject keys', async () => {
      const live = await this.collection.find({ dataSubject, destroyedAt: null }, { projection: { _id: 1 } }).toArray();
      const destroyedAt = new Date().toISOString();
      const destroyed: string[] = [];
      for (const { _id } of live) {
        const result = await this.collection.updateOne(
          { _id, destroyedAt: null },
          { $set: { wrapped: null, destroyedAt }, $unset: { key: '' } },
        );
        if (result.modifiedCount === 1) destroyed.push(_id);
      }
      return destroyed.sort();
    });
  }

  history(dataSubject: string): Promise<SubjectKeyHistory> {
    return guarded('read subject keys', async () => {
      const documents = await this.collection
        .find({ dataSubject }, { projection: { _id: 1, destroyedAt: 1 } })
        .sort({ _id: 1 })
        .toArray();
      return {
        known: documents.length > 0,
        destroyed: documents.flatMap((d) => (d.destroyedAt ? [{ keyId: d._id, destroyedAt: d.destroyedAt }] : [])),
      };
    });
  }

  rewrap(): Promise<number> {
    return guarded('wrap subject keys again', async () => {
      const current = await this.keks.currentId();
      let rewrapped = 0;
      const stale = this.collection.find({ destroyedAt: null, 'wrapped.kekId': { $ne: current } });
      for await (const document of stale) {
        if (!document.wrapped) continue;
        const key = await this.keks.unwrap(document._id, document.wrapped);
        const wrapped = await this.keks.wrap(document._id, key);
        const result = await this.collection.updateOne(
          { _id: document._id, destroyedAt: null, 'wrapped.kekId': document.wrapped.kekId },
          { $set: { wrapped } },
        );
        rewrapped += result.modifiedCount;
      }
      return rewrapped;
    });
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
