import { processLogger } from '@prov/logging';
import { generateSubjectKey } from '@prov/integrity';
import { Binary, MongoClient, type Collection, type Db } from 'mongodb';
import { v4 as uuidv4 } from 'uuid';
import {
  subjectKeyId,
  type SubjectKey,
  type SubjectKeyState,
  type SubjectKeyStore,
} from '../subject-keys/subject-key-store.port';
import { guarded } from './driver-errors';
import type { MongoLineageStoreOptions } from './mongodb-lineage-store.options';
import { mongodbDriverLog } from './driver-log';

interface KeyDocument {
  _id: string;
  dataSubject: string;
  /** Null once destroyed. */
  key: Binary | null;
  createdAt: string;
  destroyedAt: string | null;
}

export const SUBJECT_KEYS_COLLECTION = 'subject_keys';

/**
 * Subject keys in one collection beside the views. Two replicas creating a
 * first key for one subject at once may both succeed: both keys are the
 * subject's, and an erasure destroys every one.
 */
export class MongoSubjectKeyStore implements SubjectKeyStore {
  private readonly collection: Collection<KeyDocument>;

  constructor(
    db: Db,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {
    this.collection = db.collection<KeyDocument>(SUBJECT_KEYS_COLLECTION);
  }

  /** A store with its own connection (for a service that holds no views, such as the inference service). */
  static connect(options: MongoLineageStoreOptions): Promise<MongoSubjectKeyStore> {
    return guarded('connect', async () => {
      const client = new MongoClient(options.uri, {
        serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 30_000,
        mongodbLogPath: mongodbDriverLog(processLogger()),
        appName: 'subject-keys',
      });
      await client.connect();
      try {
        const store = new MongoSubjectKeyStore(client.db(options.database ?? 'provenance'), () => client.close());
        await store.prepare();
        return store;
      } catch (error) {
        await client.close();
        throw error;
      }
    });
  }

  prepare(): Promise<void> {
    return guarded('prepare subject keys', async () => {
      await this.collection.createIndex({ dataSubject: 1 });
    });
  }

  activeKey(dataSubject: string): Promise<SubjectKey> {
    return guarded('read subject key', async () => {
      const found = await this.collection.findOne({ dataSubject, destroyedAt: null });
      if (found?.key) return { keyId: found._id, key: Buffer.from(found.key.buffer) };
      const key = generateSubjectKey();
      const document: KeyDocument = {
        _id: subjectKeyId(uuidv4()),
        dataSubject,
        key: new Binary(key),
        createdAt: new Date().toISOString(),
        destroyedAt: null,
      };
      await this.collection.insertOne(document);
      return { keyId: document._id, key };
    });
  }

  keys(keyIds: readonly string[]): Promise<Map<string, SubjectKeyState>> {
    return guarded('read subject keys', async () => {
      const states = new Map<string, SubjectKeyState>();
      if (keyIds.length === 0) return states;
      for (const document of await this.collection.find({ _id: { $in: [...new Set(keyIds)] } }).toArray()) {
        states.set(
          document._id,
          document.key && document.destroyedAt === null
            ? { state: 'active', key: Buffer.from(document.key.buffer) }
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
          { $set: { key: null, destroyedAt } },
        );
        if (result.modifiedCount === 1) destroyed.push(_id);
      }
      return destroyed.sort();
    });
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
