import { processLogger } from '@prov/logging';
import { VIEW_NAMES } from '@prov/projections';
import { Db, Long, MongoClient } from 'mongodb';
import { checkGenerationName } from '../generation-name';
import { ActiveGenerationDropError, UnknownGenerationError } from '../lineage-store.errors';
import type {
  GenerationInfo,
  GenerationKind,
  LineageStore,
  StoreHoldings,
  ViewGeneration,
} from '../lineage-store.port';
import { generationHoldings } from '../generation-holdings';
import { VIEW_INDEXES } from '../view-indexes';
import {
  ACTIVE_POINTER_ID,
  GENERATIONS_COLLECTION,
  OFFSETS_COLLECTION,
  REVISIONS_COLLECTION,
  generationInfoId,
  viewCollectionName,
  viewCollectionNames,
} from './collection-names';
import type { KeyEncryptionKeys } from '../subject-keys/key-encryption-keys.port';
import { MongoSubjectKeyStore } from './mongodb-subject-key-store';
import { MongoAuditLog } from './mongodb-audit-log';
import { MongoDeadLetters } from './mongodb-dead-letters';
import { UpdateGate } from './update-gate';
import { DUPLICATE_KEY, guarded } from './driver-errors';
import type { MongoLineageStoreOptions } from './mongodb-lineage-store.options';
import { MongoViewGeneration } from './mongodb-view-generation';
import { mongodbDriverLog } from './driver-log';

interface GenerationDocument {
  _id: string;
  name?: string;
  kind?: GenerationKind;
  createdAt?: string;
  asOf?: string;
  caughtUpAt?: string;
  /** On the `active` pointer only. */
  generation?: string;
}

/**
 * The lineage views in MongoDB or FerretDB v1, using only what FerretDB
 * v1.24 supports: no transactions, so generations are switched by one
 * single-document write and every view write is an idempotent upsert.
 */
export class MongoLineageStore implements LineageStore {
  readonly auditLog: MongoAuditLog;
  readonly deadLetters: MongoDeadLetters;

  /** One per client: FerretDB's backend pool is per server, whatever the views written. */
  private readonly updates = new UpdateGate();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {
    this.auditLog = new MongoAuditLog(db);
    this.deadLetters = new MongoDeadLetters(db);
  }

  static async connect(options: MongoLineageStoreOptions): Promise<MongoLineageStore> {
    return guarded('connect', async () => {
      const client = new MongoClient(options.uri, {
        serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 30_000,
        mongodbLogPath: mongodbDriverLog(processLogger()),
        appName: 'lineage-store',
      });
      try {
        await client.connect();
        const store = new MongoLineageStore(client, client.db(options.database ?? 'provenance'));
        await store.db.collection(OFFSETS_COLLECTION).createIndex({ generation: 1 });
        await store.db.collection(REVISIONS_COLLECTION).createIndex({ generation: 1 });
        await store.auditLog.prepare();
        await store.deadLetters.prepare();
        return store;
      } catch (error) {
        await client.close();
        throw error;
      }
    });
  }

  /** The subject keys kept beside these views, on the same connection (closed with the store). */
  async subjectKeys(keks: KeyEncryptionKeys): Promise<MongoSubjectKeyStore> {
    const keys = new MongoSubjectKeyStore(this.db, keks);
    await keys.prepare();
    return keys;
  }

  generation(name: string, info: { kind?: GenerationKind; asOf?: string } = {}): Promise<ViewGeneration> {
    return guarded(`open generation ${name}`, async () => {
      checkGenerationName(name);
      const existing = new Set(
        (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name),
      );
      for (const view of VIEW_NAMES) {
        const collectionName = viewCollectionName(name, view);
        // Views read by `_id` alone have no index to create, and would otherwise not exist until written.
        if (!existing.has(collectionName)) await createCollectionOnce(this.db, collectionName);
        const collection = this.db.collection(collectionName);
        // One index per command: FerretDB v1.24 drops the connection when one createIndexes names several existing indexes.
        for (const key of VIEW_INDEXES[view]) await collection.createIndex(key);
      }
      // Recorded after the indexes, so a listed generation is complete; kept as first recorded when reopened.
      // Two processes opening it at once may both try the insert: the loser's upsert fails on the duplicate
      // key, and the document the winner inserted is the same one, so a second try finds it and changes nothing.
      await retriedOnDuplicateKey(() =>
        this.generationsCollection().updateOne(
          { _id: generationInfoId(name) },
          {
            $setOnInsert: {
              name,
              kind: info.kind ?? 'live',
              createdAt: new Date().toISOString(),
              ...(info.asOf === undefined ? {} : { asOf: info.asOf }),
            },
          },
          { upsert: true },
        ),
      );
      return new MongoViewGeneration(name, this.db, this.updates);
    });
  }

  generations(): Promise<GenerationInfo[]> {
    return guarded('list generations', async () => {
      const docs = await this.generationsCollection()
        .find({ _id: { $ne: ACTIVE_POINTER_ID } }, { sort: [['name', 1]] })
        .toArray();
      return docs.map(toGenerationInfo);
    });
  }

  markCaughtUp(name: string, at: string): Promise<void> {
    return guarded(`mark generation ${name} caught up`, async () => {
      checkGenerationName(name);
      const result = await this.generationsCollection().updateOne(
        { _id: generationInfoId(name) },
        { $set: { caughtUpAt: at } },
      );
      if (result.matchedCount === 0) throw new UnknownGenerationError(name);
    });
  }

  activeGeneration(): Promise<string | undefined> {
    return guarded('read the active generation', async () => {
      const pointer = await this.generationsCollection().findOne({ _id: ACTIVE_POINTER_ID });
      return pointer?.generation;
    });
  }

  activate(name: string): Promise<void> {
    return guarded(`activate generation ${name}`, async () => {
      checkGenerationName(name);
      const info = await this.generationsCollection().findOne({ _id: generationInfoId(name) });
      if (!info) throw new UnknownGenerationError(name);
      await this.generationsCollection().updateOne(
        { _id: ACTIVE_POINTER_ID },
        { $set: { generation: name } },
        { upsert: true },
      );
    });
  }

  dropGeneration(name: string): Promise<void> {
    return guarded(`drop generation ${name}`, async () => {
      checkGenerationName(name);
      // Without transactions this check and the drop are not one step: callers activate and drop from one process (the projector).
      if ((await this.activeGeneration()) === name) throw new ActiveGenerationDropError(name);
      const views = new Set(viewCollectionNames(name));
      const existing = await this.db.listCollections({}, { nameOnly: true }).toArray();
      for (const { name: collection } of existing) if (views.has(collection)) await this.db.dropCollection(collection);
      await this.db.collection(OFFSETS_COLLECTION).deleteMany({ generation: name });
      await this.db.collection(REVISIONS_COLLECTION).deleteMany({ generation: name });
      // Last, so that a drop cut short still lists the generation and can be done again.
      await this.generationsCollection().deleteOne({ _id: generationInfoId(name) });
    });
  }

  /** Bytes on disk from `dbStats` (which FerretDB v1 answers too): the database's collections and indexes. */
  holdings(): Promise<StoreHoldings> {
    return guarded('read what the store holds', async () => {
      const name = await this.activeGeneration();
      const active =
        name === undefined ? null : await generationHoldings(new MongoViewGeneration(name, this.db, this.updates));
      const stats = await this.db.command({ dbStats: 1 });
      const storage = byteCount(stats['storageSize']);
      const indexes = byteCount(stats['indexSize']);
      return {
        kind: 'mongodb',
        active,
        bytesOnDisk: storage === undefined || indexes === undefined ? null : storage + indexes,
      };
    });
  }

  close(): Promise<void> {
    return guarded('close', () => this.client.close());
  }

  private generationsCollection() {
    return this.db.collection<GenerationDocument>(GENERATIONS_COLLECTION);
  }
}

/** Creates a collection; one that another process created meanwhile is as good. */
async function createCollectionOnce(db: Db, name: string): Promise<void> {
  try {
    await db.createCollection(name);
  } catch (error) {
    if ((error as { code?: unknown }).code !== NAMESPACE_EXISTS) throw error;
  }
}

async function retriedOnDuplicateKey<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
    return write();
  }
}

/** The server's code for "collection already exists". */
const NAMESPACE_EXISTS = 48;

/** A size the server reported (a number, or a 64-bit Long past 2^53); undefined when it reported none. */
function byteCount(value: unknown): number | undefined {
  const bytes = typeof value === 'number' ? value : value instanceof Long ? value.toNumber() : NaN;
  return Number.isFinite(bytes) && bytes >= 0 ? bytes : undefined;
}

function toGenerationInfo(doc: GenerationDocument): GenerationInfo {
  return {
    name: doc.name ?? doc._id,
    kind: doc.kind ?? 'live',
    createdAt: doc.createdAt ?? '',
    ...(doc.asOf === undefined ? {} : { asOf: doc.asOf }),
    ...(doc.caughtUpAt === undefined ? {} : { caughtUpAt: doc.caughtUpAt }),
  };
}
