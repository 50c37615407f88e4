import type { EventLog } from '@prov/event-log';
import { BSON, Db, MongoClient } from 'mongodb';
import { createHash } from 'node:crypto';

/** What the platform has stored: each view collection's size and digest, and each topic's end offsets. */
export interface StoredState {
  collections: Record<string, { count: number; digest: string }>;
  endOffsets: Record<string, string[]>;
}

/**
 * Reads the stored state of one platform (its database, its topics), so a
 * suite can show that what it threw at the services changed nothing.
 */
export async function storedState(
  mongodbUri: string,
  database: string,
  log: EventLog,
  topics: readonly string[],
): Promise<StoredState> {
  return withDatabase(mongodbUri, database, async (db) => {
    const collections: StoredState['collections'] = {};
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    for (const name of names) {
      const documents = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
      const digest = createHash('sha256');
      for (const document of documents) digest.update(BSON.EJSON.stringify(document, { relaxed: false })).update('\n');
      collections[name] = { count: documents.length, digest: digest.digest('hex') };
    }
    const endOffsets: StoredState['endOffsets'] = {};
    for (const topic of topics) {
      endOffsets[topic] = (await log.offsets(topic)).sort((a, b) => a.partition - b.partition).map((p) => p.latest);
    }
    return { collections, endOffsets };
  });
}

/** Every stored document of the database, as extended JSON text (to search for what must never be stored). */
export async function storedDocumentsText(mongodbUri: string, database: string): Promise<string> {
  return withDatabase(mongodbUri, database, async (db) => {
    const texts: string[] = [];
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      for (const document of await db.collection(name).find({}).toArray()) texts.push(BSON.EJSON.stringify(document));
    }
    return texts.join('\n');
  });
}

async function withDatabase<T>(mongodbUri: string, database: string, use: (db: Db) => Promise<T>): Promise<T> {
  const client = await new MongoClient(mongodbUri, { serverSelectionTimeoutMS: 10_000 }).connect();
  try {
    return await use(client.db(database));
  } finally {
    await client.close();
  }
}

/** How far the audit log has read each partition: `<topic>/<partition>` to the next offset it will consider. */
export async function auditLogPositions(mongodbUri: string, database: string): Promise<Map<string, bigint>> {
  return withDatabase(mongodbUri, database, async (db) => {
    const states = await db
      .collection<{ topic: string; partition: number; nextOffset: string }>('audit_logs')
      .find({})
      .toArray();
    return new Map(states.map((s) => [`${s.topic}/${s.partition}`, BigInt(s.nextOffset)]));
  });
}
