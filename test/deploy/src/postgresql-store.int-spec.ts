import { freePort, storeInfra } from '@prov/testing';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { MongoClient } from 'mongodb';

/**
 * FerretDB on PostgreSQL, as deploy/local/infra.sh runs it (the benchmark
 * suite's store): the indexes and planner settings of
 * postgresql/ferretdb-indexes.sql must hold for the tables FerretDB creates,
 * from the first insert, and for a store made before that file set them.
 * Without them a point read among 1M predictions was planned as a parallel,
 * JIT-compiled scan and scanned the GIN pending lists (test/bench/RESULTS.md).
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const DATABASE = 'deploy_postgresql_check';
const run = promisify(execFile);

interface Servers {
  env: NodeJS.ProcessEnv;
  storePort: number;
  postgresqlPort: number;
}

let servers: Servers;
let client: MongoClient;

const infra = (command: 'start' | 'stop' | 'reset') => storeInfra(command, servers.env);

/** psql of the PostgreSQL that infra.sh runs (Debian's), or the one on PATH. */
function psqlBinary(): string {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
  const bundled = versions
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join('/usr/lib/postgresql', version, 'bin', 'psql'))
    .find((path) => existsSync(path));
  return bundled ?? 'psql';
}

/** One psql command on the store's PostgreSQL database (unaligned, tuples only); its output. */
async function psql(command: string): Promise<string> {
  const { stdout } = await run(
    psqlBinary(),
    [
      '-X',
      '-q',
      '-tA',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      '127.0.0.1',
      '-p',
      String(servers.postgresqlPort),
      '-U',
      'ferretdb',
      '-d',
      'ferretdb',
      '-c',
      command,
    ],
    { timeout: 60_000 },
  );
  return stdout;
}

/** Rows of a query, each row as the JSON object PostgreSQL makes of it. */
async function sql<Row>(query: string): Promise<Row[]> {
  const stdout = await psql(`SELECT row_to_json(r) FROM (${query}) r`);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
}

/** The PostgreSQL table FerretDB keeps a collection in (its name, suffixed with a hash). */
async function tableOf(collection: string): Promise<string> {
  const tables = await sql<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
     WHERE schemaname = '${DATABASE}' AND tablename LIKE '${collection}\\_%'`,
  );
  if (tables.length !== 1) throw new Error(`expected one table for ${collection}, found ${JSON.stringify(tables)}`);
  return tables[0].name;
}

/** The GIN indexes on a table, with their storage options. */
async function ginIndexes(table: string) {
  return sql<{ name: string; options: string[] | null; definition: string }>(
    `SELECT c.relname AS name, c.reloptions AS options, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
     WHERE i.indrelid = '${table}'::regclass AND am.amname = 'gin' ORDER BY c.relname`,
  );
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

/** A prediction document as the lineage store keeps it (the fields its view indexes name). */
function prediction(n: number) {
  return {
    _id: `pred-${String(n).padStart(9, '0')}`,
    batchId: `batch-${Math.floor(n / 1000)}`,
    deploymentId: `deployment-${n % 20}`,
    modelVersionId: `model-${n % 100}`,
    at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
    outputDigest: `sha256:${'0'.repeat(64)}`,
  };
}

beforeAll(async () => {
  const [storePort, postgresqlPort] = [await freePort(), await freePort()];
  servers = {
    storePort,
    postgresqlPort,
    env: {
      ...process.env,
      PROV_INFRA_HOME: join(ROOT, '.cache', 'deploy-postgresql'),
      PROV_STORE_BACKEND: 'postgresql',
      PROV_STORE_PORT: String(storePort),
      PROV_POSTGRESQL_PORT: String(postgresqlPort),
      PROV_STORE_POSTGRESQL_URL: '',
    },
  };
  await infra('reset');
  await infra('start');
  client = await MongoClient.connect(`mongodb://127.0.0.1:${storePort}/?directConnection=true`);
}, 900_000);

afterAll(async () => {
  await client?.close();
  if (servers) await infra('reset');
}, 120_000);

describe('FerretDB on PostgreSQL (deploy/local/infra.sh)', () => {
  it('gives every index FerretDB makes a GIN twin without a pending list, and reads a document through it', async () => {
    const predictions = client.db(DATABASE).collection<ReturnType<typeof prediction>>('predictions');
    await predictions.createIndex({ modelVersionId: 1, at: 1 });
    await predictions.createIndex({ batchId: 1 });
    for (let start = 0; start < 20_000; start += 1000) {
      await predictions.insertMany(Array.from({ length: 1000 }, (_, i) => prediction(start + i)));
    }
    const table = await tableOf('predictions');

    const gin = await ginIndexes(table);
    // One per indexed field: _id, modelVersionId, at, batchId.
    expect(gin.map((index) => /_jsonb -> '(\w+)'/.exec(index.definition)?.[1]).sort()).toEqual([
      '_id',
      'at',
      'batchId',
      'modelVersionId',
    ]);
    for (const index of gin) {
      expect({ index: index.name, options: index.options }).toEqual({ index: index.name, options: ['fastupdate=off'] });
    }

    expect(await predictions.findOne({ _id: prediction(12_345)._id })).toEqual(prediction(12_345));
  });

  it('plans a point read as a read of the _id GIN index, neither parallel nor JIT-compiled, in the sessions FerretDB opens', async () => {
    const settings = await sql<{ setting: string }>(
      `SELECT unnest(s.setconfig) AS setting FROM pg_db_role_setting s
       JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = 'ferretdb' AND s.setrole = 0`,
    );
    expect(settings.map((s) => s.setting).sort()).toEqual([
      'jit=off',
      'max_parallel_workers_per_gather=0',
      'plan_cache_mode=force_custom_plan',
    ]);

    const table = await tableOf('predictions');
    // The filter FerretDB 1.24 pushes down for findOne({ _id }), planned in a new session as FerretDB's are.
    const [plan] = JSON.parse(
      await psql(
        `EXPLAIN (FORMAT JSON) SELECT _jsonb FROM ${table} WHERE _jsonb -> '_id' @> '"pred-000012345"'::jsonb`,
      ),
    ) as Array<{ Plan: PlanNode; JIT?: unknown }>;
    expect(plan.JIT).toBeUndefined();
    const nodes = planNodes(plan.Plan);
    expect(nodes.map((node) => node['Node Type'])).not.toContain('Gather');
    expect(nodes.find((node) => node['Index Name'])?.['Index Name']).toMatch(/__id_.*_gin1$/);
  });

  it('turns the pending list off on GIN indexes made before, when the store starts again', async () => {
    const table = await tableOf('predictions');
    await psql(`CREATE INDEX made_before ON ${table} USING gin ((_jsonb -> 'deploymentId') jsonb_path_ops)`);
    const before = (await ginIndexes(table)).find((index) => index.name === 'made_before');
    expect(before?.options).toBeNull();

    await infra('stop');
    await infra('start');

    const after = (await ginIndexes(table)).find((index) => index.name === 'made_before');
    expect(after?.options).toEqual(['fastupdate=off']);
    await client.close();
    client = await MongoClient.connect(`mongodb://127.0.0.1:${servers.storePort}/?directConnection=true`);
    expect(await client.db(DATABASE).collection('predictions').countDocuments()).toBe(20_000);
  });
});
