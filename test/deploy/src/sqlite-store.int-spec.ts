import { freePort, storeInfra } from '@prov/testing';
import { join, resolve } from 'node:path';

import { MongoClient, type Document } from 'mongodb';

/**
 * FerretDB on SQLite, as deploy/local/infra.sh runs it (the default store of
 * the test suite and of `npm run infra`). FerretDB 1.24 looks an `_id` up
 * with an expression its own `_id` index does not cover, so every point read
 * scanned its whole table: a projector re-folding one batch of 1,000
 * predictions among 200,000 took minutes. The runner indexes that
 * expression for every collection table.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const DATABASE = 'deploy_sqlite_check';

let env: NodeJS.ProcessEnv;
let client: MongoClient;

const infra = (command: 'start' | 'stop' | 'reset') => storeInfra(command, env);

async function connect(): Promise<MongoClient> {
  return MongoClient.connect(`mongodb://127.0.0.1:${env['PROV_STORE_PORT']}/?directConnection=true`);
}

/**
 * SQLite's plan of a point read by `_id`, as FerretDB explains it. A read
 * comes first: a connection takes in an index made by another one when it
 * next runs a statement, which an EXPLAIN alone does not.
 */
async function pointReadPlan(collection: string, id: string): Promise<string> {
  await client.db(DATABASE).collection<{ _id: string }>(collection).findOne({ _id: id });
  const explained: Document = await client
    .db(DATABASE)
    .collection<{ _id: string }>(collection)
    .find({ _id: id })
    .limit(1)
    .explain();
  return JSON.stringify(explained['queryPlanner']);
}

/** Waits (up to 10 s) for the plan of a point read to be a search of the lookup index. */
async function untilIndexed(collection: string, id: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const plan = await pointReadPlan(collection, id);
    if (/USING INDEX \S*_id_lookup/.test(plan) || Date.now() > deadline) return plan;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const docs = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ _id: `pred-${String(from + i).padStart(9, '0')}`, n: from + i }));

beforeAll(async () => {
  env = {
    ...process.env,
    PROV_INFRA_HOME: join(ROOT, '.cache', 'deploy-sqlite'),
    PROV_STORE_BACKEND: 'sqlite',
    PROV_STORE_PORT: String(await freePort()),
  };
  await infra('reset');
  await infra('start');
  client = await connect();
}, 900_000);

afterAll(async () => {
  await client?.close();
  if (env) await infra('reset');
}, 120_000);

describe('FerretDB on SQLite (deploy/local/infra.sh)', () => {
  it('reads a document by _id through an index, for a collection created while it runs', async () => {
    const predictions = client.db(DATABASE).collection<{ _id: string; n: number }>('predictions');
    for (let start = 0; start < 20_000; start += 1000) await predictions.insertMany(docs(start, 1000));

    expect(await untilIndexed('predictions', 'pred-000012345')).toMatch(/SEARCH .* USING INDEX \S*_id_lookup/);
    expect(await predictions.findOne({ _id: 'pred-000012345' })).toEqual({ _id: 'pred-000012345', n: 12_345 });
    // Updates and deletes by _id go through the same lookup; what FerretDB lists is still its own _id index alone.
    await predictions.updateOne({ _id: 'pred-000000007' }, { $set: { n: -7 } });
    expect(await predictions.findOne({ _id: 'pred-000000007' })).toEqual({ _id: 'pred-000000007', n: -7 });
    expect((await predictions.indexes()).map((index) => index.name)).toEqual(['_id_']);
  });

  it('indexes the tables of a store made before, when the store starts again, and forgets dropped ones', async () => {
    await client.close();
    await infra('stop');
    await infra('start');
    client = await connect();
    expect(await untilIndexed('predictions', 'pred-000000001')).toMatch(/USING INDEX \S*_id_lookup/);

    await client.db(DATABASE).collection('predictions').drop();
    const again = client.db(DATABASE).collection<{ _id: string; n: number }>('predictions');
    await again.insertMany(docs(0, 10));
    expect(await untilIndexed('predictions', 'pred-000000003')).toMatch(/USING INDEX \S*_id_lookup/);
    expect(await again.countDocuments()).toBe(10);
  });

  it('starts again after databases were dropped while it ran, leaving no file of theirs behind', async () => {
    // A database dropped between the runner's listing and its look must not come back as an empty file:
    // FerretDB refuses to start on a database file without its metadata table.
    for (let round = 0; round < 5; round++) {
      const name = `${DATABASE}_dropped_${round}`;
      await client.db(name).collection<{ _id: string; n: number }>('c').insertMany(docs(0, 100));
      await new Promise((r) => setTimeout(r, 600 + round * 200));
      await client.db(name).dropDatabase();
    }
    await new Promise((r) => setTimeout(r, 2_500));
    await client.close();
    await infra('stop');
    await infra('start');
    client = await connect();
    const names = (await client.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    expect(names.filter((name) => name.includes('_dropped_'))).toEqual([]);
    expect(await client.db(DATABASE).collection('predictions').countDocuments()).toBe(10);
  });
});
