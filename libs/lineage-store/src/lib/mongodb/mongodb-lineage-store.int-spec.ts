import { describeAuditLogContract } from '../audit-log.contract';
import { VIEW_NAMES } from '@prov/projections';
import { integrationEnv, uniqueName } from '@prov/testing';
import { MongoClient } from 'mongodb';
import { describeDeadLetterStoreContract } from '../dead-letters/dead-letter-store.contract';
import { describeLineageStoreContract } from '../lineage-store.contract';
import { LineageStoreRejectedError, LineageStoreUnavailableError } from '../lineage-store.errors';
import { VIEW_INDEXES } from '../view-indexes';
import { viewCollectionName } from './collection-names';
import { MongoLineageStore } from './mongodb-lineage-store';
import { MongoSubjectKeyStore } from './mongodb-subject-key-store';
import { describeSubjectKeyStoreContract } from '../subject-keys/subject-key-store.contract';

const { mongodbUri } = integrationEnv();
/** Every database this file made, dropped at the end. */
const databases: string[] = [];
const connect = (database: string) =>
  MongoLineageStore.connect({ uri: mongodbUri, database, serverSelectionTimeoutMS: 10_000 });
const freshStore = () => {
  const database = uniqueName('lineage');
  databases.push(database);
  return connect(database);
};

async function dropDatabases(): Promise<void> {
  const client = await new MongoClient(mongodbUri, { serverSelectionTimeoutMS: 10_000 }).connect();
  try {
    for (const database of databases.splice(0)) await client.db(database).dropDatabase();
  } finally {
    await client.close();
  }
}

// A new database per test, so each starts with no generation and no active pointer.
describeLineageStoreContract('MongoDB wire (real server)', freshStore);
describeAuditLogContract('MongoDB wire (real server)', freshStore);
describeDeadLetterStoreContract('MongoDB wire (real server)', freshStore);
describeSubjectKeyStoreContract('MongoDB wire (real server)', async (keks) => {
  const database = uniqueName('subject-keys');
  databases.push(database);
  const store = await MongoSubjectKeyStore.connect(
    { uri: mongodbUri, database, serverSelectionTimeoutMS: 10_000 },
    keks,
  );
  const stored = async () => {
    const client = await new MongoClient(mongodbUri, { serverSelectionTimeoutMS: 10_000 }).connect();
    try {
      const documents = await client.db(database).collection('subject_keys').find().toArray();
      return documents.map((d) => JSON.stringify(d)).join('\n');
    } finally {
      await client.close();
    }
  };
  return { store, stored };
});
afterAll(dropDatabases);

describe('MongoDB lineage store', () => {
  let client: MongoClient;
  beforeAll(async () => {
    client = await new MongoClient(mongodbUri, { serverSelectionTimeoutMS: 10_000 }).connect();
  });
  afterAll(async () => {
    await client.close();
    await dropDatabases();
  });

  const withStore = async (test: (store: MongoLineageStore, database: string) => Promise<void>) => {
    const database = uniqueName('lineage');
    databases.push(database);
    const store = await connect(database);
    try {
      await test(store, database);
    } finally {
      await store.close();
    }
  };

  it('creates every index of VIEW_INDEXES when a generation is opened, and opening it again changes nothing', async () => {
    await withStore(async (store, database) => {
      await store.generation('live-1');
      await store.generation('live-1');
      for (const view of VIEW_NAMES) {
        const indexes = await client
          .db(database)
          .collection(viewCollectionName('live-1', view))
          .listIndexes()
          .toArray();
        // As JSON, so that the order of a compound index's fields counts.
        const keys = indexes.map((index) => JSON.stringify(index['key'])).sort();
        expect(keys).toEqual([{ _id: 1 }, ...VIEW_INDEXES[view]].map((key) => JSON.stringify(key)).sort());
      }
    });
  });

  it('finds the audit leaves of events appended before leaves were kept by event id', async () => {
    await withStore(async (store, database) => {
      const logId = 'auditlog:provenance.inference.v1/0';
      const records = [0, 1, 2].map((index) => ({
        logId,
        index,
        eventId: `0190f1a4-8c1e-7b2a-9c3d-4e5f607182${index}0`,
        offset: String(index),
        leafHash: String(index).repeat(64),
        envelope: JSON.stringify({ index }),
      }));
      const state = { logId, topic: 'provenance.inference.v1', partition: 0, treeSize: 3, nextOffset: '3' };
      await store.auditLog.append(records, [], { ...state, frontier: [records[2].leafHash, null] });
      // As such a store holds them: leaves, and no index by event id.
      await client.db(database).collection('audit_event_leaves').drop();
      const reopened = await connect(database);
      try {
        expect(await reopened.auditLog.recordByEventId(records[1].eventId)).toEqual(records[1]);
        expect(await reopened.auditLog.leafByEventId('0190f1a4-8c1e-7b2a-9c3d-4e5f60718299')).toBeUndefined();
      } finally {
        await reopened.close();
      }
    });
  });

  it('stores user data in the documented encoding, leaving the views own fields queryable as they are', async () => {
    await withStore(async (store, database) => {
      const generation = await store.generation('live-1');
      await generation.apply([
        {
          op: 'replace',
          view: 'model_lineage',
          id: 'mv:1',
          doc: { _id: 'mv:1', runId: 'run:1', hyperparameters: { 'optimizer.lr': 0.1, $scale: 2, '': 0 }, grid: [[1]] },
        },
      ]);
      const raw = await client
        .db(database)
        .collection(viewCollectionName('live-1', 'model_lineage'))
        .findOne({ runId: 'run:1' });
      expect(raw).toEqual({
        _id: 'mv:1',
        runId: 'run:1',
        hyperparameters: { 'optimizer%2Elr': 0.1, '%24scale': 2, '%': 0 },
        grid: [{ '%a': [1] }],
      });
    });
  });

  it("counts its bytes on disk as dbStats tells them: the database's collections and indexes", async () => {
    await withStore(async (store, database) => {
      const generation = await store.generation('live-1');
      await generation.apply([{ op: 'replace', view: 'nodes', id: 'n:1', doc: { _id: 'n:1', kind: 'model' } }]);
      await store.activate('live-1');
      const bytes = async () => {
        const stats = await client.db(database).command({ dbStats: 1 });
        return Number(stats['storageSize']) + Number(stats['indexSize']);
      };
      // Read on either side: a server may settle its sizes in the background (a checkpoint) meanwhile.
      const before = await bytes();
      const held = await store.holdings();
      const after = await bytes();
      expect(held).toMatchObject({ kind: 'mongodb', active: { name: 'live-1', documents: { nodes: 1 } } });
      expect([before, after]).toContain(held.bytesOnDisk);
      expect(held.bytesOnDisk).toBeGreaterThan(0);
    });
  });

  it('surfaces any other write error as a typed, non-retriable rejection', async () => {
    await withStore(async (store) => {
      const generation = await store.generation('live-1');
      await generation.apply([{ op: 'set', view: 'nodes', id: 'n:1', fields: { kind: 'model' } }]);
      // MongoDB cannot create a field inside a string.
      const error = await generation
        .apply([{ op: 'set', view: 'nodes', id: 'n:1', fields: { 'kind.sub': 1 } }])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LineageStoreRejectedError);
      expect(error).toMatchObject({ retriable: false, kind: 'unprocessable' });
    });
  });

  it('fails fast with a retriable LineageStoreUnavailableError when the server cannot be reached', async () => {
    const started = Date.now();
    const error = await MongoLineageStore.connect({
      uri: 'mongodb://127.0.0.1:1/?directConnection=true',
      serverSelectionTimeoutMS: 500,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LineageStoreUnavailableError);
    expect(error).toMatchObject({ retriable: true, kind: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
