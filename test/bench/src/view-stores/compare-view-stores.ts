import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The embedded mode's two candidate view stores on the views' own workload,
 * in one process, phase by phase alternating between them so that a load
 * from elsewhere on the machine weighs on both alike:
 *
 * - insert: N prediction documents (about 380 bytes of JSON) and their batch
 *   documents, one durable transaction per batch of 1,000 (as the projector
 *   folds one batch per store round), each batch also writing its index
 *   entries (`modelVersionId`, `recordedAt`);
 * - point reads of random predictions by id;
 * - index range scans: a model version's batches in a time range, by index,
 *   with their documents;
 * - a `$group`-with-`$sum` total: predictions per model version over every batch.
 *
 * Both keep documents as JSON text and a separate (view, field, value, id)
 * index, the shape an adapter holding MongoDB's query semantics needs.
 * `npm run bench` does not run it:
 *
 *   npm install --no-save better-sqlite3@12.11.1   # the candidate the project does not depend on
 *   SWC_NODE_PROJECT=test/bench/tsconfig.json node -r @swc-node/register test/bench/src/view-stores/compare-view-stores.ts [N]
 */

interface Candidate {
  name: string;
  insertBatch(predictions: Prediction[], batch: Batch): Promise<void>;
  get(id: string): Prediction | undefined;
  batchesOf(modelVersionId: string, from: string, to: string): Batch[];
  totals(): Map<string, number>;
  close(): Promise<void>;
}

interface Prediction {
  _id: string;
  eventId: string;
  batchId: string;
  at: string;
  inputDigest: string;
  outputDigest: string;
  featureSnapshot: string;
}

interface Batch {
  _id: string;
  modelVersionId: string;
  deploymentId: string;
  recordedAt: string;
  count: number;
}

const BATCH = 1_000;
const MODEL_VERSIONS = 100;
const POINT_READS = 100_000;
const RANGE_SCANS = 2_000;

// Loaded by name so that this script typechecks without the candidate the project does not depend on.
const load = (name: string): unknown => require(name);

async function openSqlite(directory: string): Promise<Candidate> {
  type Statement = { run(...a: unknown[]): unknown; get(...a: unknown[]): unknown; all(...a: unknown[]): unknown[] };
  type Database = { pragma(s: string): unknown; exec(s: string): void; prepare(s: string): Statement; close(): void };
  type Transaction = (predictions: Prediction[], batch: Batch) => void;
  const Sqlite = load('better-sqlite3') as new (
    file: string,
  ) => Database & { transaction(f: Transaction): Transaction };
  const db = new Sqlite(join(directory, 'views.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // each commit durable before it returns, as the log's offsets need
  db.exec(`CREATE TABLE documents (view TEXT, id TEXT, doc TEXT, PRIMARY KEY (view, id)) WITHOUT ROWID;
           CREATE TABLE entries (view TEXT, field TEXT, value, id TEXT, PRIMARY KEY (view, field, value, id)) WITHOUT ROWID;`);
  const insert = db.prepare('INSERT INTO documents VALUES (?, ?, ?)');
  const index = db.prepare('INSERT INTO entries VALUES (?, ?, ?, ?)');
  const get = db.prepare(`SELECT doc FROM documents WHERE view = 'predictions' AND id = ?`);
  const range = db.prepare(`SELECT d.doc FROM entries e JOIN documents d ON d.view = e.view AND d.id = e.id
    WHERE e.view = 'prediction_batches' AND e.field = 'recordedAt' AND e.value >= ? AND e.value < ?
    AND d.id IN (SELECT id FROM entries WHERE view = 'prediction_batches' AND field = 'modelVersionId' AND value = ?)`);
  const totals =
    db.prepare(`SELECT json_extract(doc, '$.modelVersionId') AS key, sum(json_extract(doc, '$.count')) AS total
    FROM documents WHERE view = 'prediction_batches' GROUP BY key`);
  const write = db.transaction((predictions, batch) => {
    for (const p of predictions) insert.run('predictions', p._id, JSON.stringify(p));
    insert.run('prediction_batches', batch._id, JSON.stringify(batch));
    index.run('prediction_batches', 'modelVersionId', batch.modelVersionId, batch._id);
    index.run('prediction_batches', 'recordedAt', batch.recordedAt, batch._id);
  });
  return {
    name: 'better-sqlite3 12.11.1 (SQLite, WAL, synchronous=FULL)',
    insertBatch: async (predictions, batch) => write(predictions, batch),
    get: (id) => {
      const row = get.get(id) as { doc: string } | undefined;
      return row && JSON.parse(row.doc);
    },
    batchesOf: (modelVersionId, from, to) =>
      (range.all(from, to, modelVersionId) as Array<{ doc: string }>).map((row) => JSON.parse(row.doc)),
    totals: () => new Map((totals.all() as Array<{ key: string; total: number }>).map((r) => [r.key, r.total])),
    close: async () => db.close(),
  };
}

async function openLmdb(directory: string): Promise<Candidate> {
  type Range = { start: unknown[]; end: unknown[] };
  type Store = {
    get(key: unknown[]): string | undefined;
    put(key: unknown[], value: string): void;
    getRange(range: Range): Iterable<{ key: unknown[]; value: string }>;
    getKeys(range: Range): Iterable<unknown[]>;
  };
  type Root = {
    openDB(name: string, options: object): Store;
    transaction(work: () => void): Promise<void>;
    flushed: Promise<void>;
    close(): Promise<void>;
  };
  const { open } = load('lmdb') as { open(path: string, options: object): Root };
  const root = open(join(directory, 'views.lmdb'), { maxDbs: 4 });
  const documents = root.openDB('documents', { encoding: 'string' });
  const entries = root.openDB('entries', { encoding: 'string' });
  return {
    name: 'lmdb 3.5.6 (LMDB, each commit awaited until flushed)',
    insertBatch: async (predictions, batch) => {
      await root.transaction(() => {
        for (const p of predictions) documents.put(['predictions', p._id], JSON.stringify(p));
        documents.put(['prediction_batches', batch._id], JSON.stringify(batch));
        entries.put(['prediction_batches', 'modelVersionId', batch.modelVersionId, batch._id], '');
        entries.put(['prediction_batches', 'recordedAt', batch.recordedAt, batch._id], '');
      });
      await root.flushed;
    },
    get: (id) => {
      const doc = documents.get(['predictions', id]);
      return doc === undefined ? undefined : JSON.parse(doc);
    },
    batchesOf: (modelVersionId, from, to) => {
      const view = 'prediction_batches';
      const ofModel = new Set<unknown>();
      for (const key of entries.getKeys({
        start: [view, 'modelVersionId', modelVersionId],
        end: [view, 'modelVersionId', modelVersionId, '\uffff'],
      }))
        ofModel.add(key[3]);
      const found: Batch[] = [];
      for (const key of entries.getKeys({ start: [view, 'recordedAt', from], end: [view, 'recordedAt', to] })) {
        if (ofModel.has(key[3])) found.push(JSON.parse(documents.get([view, key[3]]) as string));
      }
      return found;
    },
    totals: () => {
      const totals = new Map<string, number>();
      for (const { value } of documents.getRange({
        start: ['prediction_batches'],
        end: ['prediction_batches', '\uffff'],
      })) {
        const batch = JSON.parse(value) as Batch;
        totals.set(batch.modelVersionId, (totals.get(batch.modelVersionId) ?? 0) + batch.count);
      }
      return totals;
    },
    close: () => root.close(),
  };
}

const hex = () => randomBytes(32).toString('hex');
const predictionId = (i: number) => `pred:bench-${String(i).padStart(9, '0')}`;
const recordedAt = (b: number) => new Date(Date.UTC(2026, 10, 1) + b * 60_000).toISOString();

function batchOf(b: number): { predictions: Prediction[]; batch: Batch } {
  const batchId = `batch:${String(b).padStart(7, '0')}`;
  const predictions = Array.from({ length: BATCH }, (_, j): Prediction => {
    const i = b * BATCH + j;
    return {
      _id: predictionId(i),
      eventId: `0190f1a4-8c1e-7b2a-9c3d-${String(b).padStart(12, '0')}`,
      batchId,
      at: new Date(Date.UTC(2026, 10, 1) + i * 60).toISOString(),
      inputDigest: `sha256:${hex()}`,
      outputDigest: `sha256:${hex()}`,
      featureSnapshot: `s3://features/${b}/${j}.parquet`,
    };
  });
  const batch = {
    _id: batchId,
    modelVersionId: `model:m${b % MODEL_VERSIONS}@1`,
    deploymentId: `deployment:d${b % 20}`,
    recordedAt: recordedAt(b),
    count: BATCH,
  };
  return { predictions, batch };
}

function bytesUnder(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}

async function timed(work: () => Promise<number> | number): Promise<{ ms: number; n: number }> {
  const started = performance.now();
  const n = await work();
  return { ms: performance.now() - started, n };
}

async function main(): Promise<void> {
  const predictions = Number(process.argv[2] ?? 200_000);
  const batches = Math.ceil(predictions / BATCH);
  console.log(
    `${cpus().length} cores (${cpus()[0]?.model}), Node.js ${process.versions.node}, load ${loadavg().map((l) => l.toFixed(1))}; ${predictions} predictions in ${batches} batches`,
  );
  const root = mkdtempSync(join(tmpdir(), 'view-stores-'));
  const candidates = [await openSqlite(root), await openLmdb(root)];
  const rows: string[] = [];
  const report = (phase: string, candidate: Candidate, { ms, n }: { ms: number; n: number }, unit: string) =>
    rows.push(`| ${phase} | ${candidate.name} | ${Math.round((n / ms) * 1000).toLocaleString('en')} ${unit}/s |`);
  try {
    // Inserted in rounds of 10 batches per candidate, alternating, so both see the same machine.
    const insertMs = new Map<Candidate, number>();
    for (let start = 0; start < batches; start += 10) {
      const round = Array.from({ length: Math.min(10, batches - start) }, (_, k) => batchOf(start + k));
      for (const candidate of candidates) {
        const { ms } = await timed(async () => {
          for (const { predictions: docs, batch } of round) await candidate.insertBatch(docs, batch);
          return 0;
        });
        insertMs.set(candidate, (insertMs.get(candidate) ?? 0) + ms);
      }
    }
    for (const candidate of candidates) {
      const ms = insertMs.get(candidate) ?? 0;
      report('insert (1,000 predictions + batch a transaction)', candidate, { ms, n: predictions }, 'predictions');
    }
    const ids = Array.from({ length: POINT_READS }, () => predictionId(Math.floor(Math.random() * predictions)));
    for (const candidate of candidates) {
      report(
        'point read by id',
        candidate,
        await timed(() => ids.filter((id) => candidate.get(id)?._id === id).length),
        'reads',
      );
    }
    const scans = Array.from({ length: RANGE_SCANS }, () => {
      const b = Math.floor(Math.random() * batches);
      return { model: `model:m${b % MODEL_VERSIONS}@1`, from: recordedAt(b), to: recordedAt(b + 50 * MODEL_VERSIONS) };
    });
    const found = new Map<Candidate, number>();
    for (const candidate of candidates) {
      let documents = 0;
      report(
        'index range scan (a model version, up to 50 batches)',
        candidate,
        await timed(() => {
          for (const { model, from, to } of scans) documents += candidate.batchesOf(model, from, to).length;
          return scans.length;
        }),
        'scans',
      );
      found.set(candidate, documents);
    }
    for (const candidate of candidates) {
      report('$group/$sum over every batch', candidate, await timed(() => (candidate.totals(), 1)), 'totals');
    }
    const sums = candidates.map((c) => [...c.totals().values()].reduce((a, b) => a + b, 0));
    const scanned = candidates.map((c) => found.get(c));
    if (new Set(sums).size !== 1 || sums[0] !== predictions || new Set(scanned).size !== 1) {
      throw new Error(`the candidates disagree: totals ${sums}, scanned documents ${scanned}`);
    }
  } finally {
    for (const candidate of candidates) await candidate.close();
  }
  rows.push(
    `| bytes on disk per prediction | sqlite | ${Math.round(bytesUnder(join(root, 'views.sqlite')) / predictions)} |`,
  );
  rows.push(
    `| bytes on disk per prediction | lmdb | ${Math.round(bytesUnder(join(root, 'views.lmdb')) / predictions)} |`,
  );
  rmSync(root, { recursive: true, force: true });
  console.log(rows.join('\n'));
  console.log(
    `load at end ${loadavg().map((l) => l.toFixed(1))}, peak RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
