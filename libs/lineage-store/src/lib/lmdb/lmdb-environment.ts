import { compareScalars, VIEW_NAMES, type ViewName } from '@prov/projections';
import { open, type Database, type RootDatabase } from 'lmdb';
import { mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConsumedPosition, GenerationInfo } from '../lineage-store.port';
import type { GenerationDatabases } from './lmdb-view-generation';
import type { IndexKey } from './view-index-entries';

/** Catalog keys: `['generation', name]`, `['active']`, `['offset', generation, topic, partition]`, `['revision', generation, view]`. */
type CatalogKey = (string | number)[];

/** Named databases open at once: 12 per generation (a live one, the one before it, audit ones) and the store's own. */
const MAX_DATABASES = 1_000;

/**
 * One LMDB environment (a memory-mapped file) holding every database of the
 * store: the catalog of generations with their offsets and revisions, each
 * generation's views and index, the audit log and the dead letters. One
 * transaction spans them all, so a generation's view writes, revisions and
 * offsets are committed together or not at all.
 */
export class LmdbEnvironment {
  readonly catalog: Database<unknown, CatalogKey>;
  private readonly generations = new Map<string, GenerationDatabases>();

  private constructor(
    readonly root: RootDatabase,
    /** The data file (LMDB keeps its lock table beside it, in `<file>-lock`). */
    readonly file: string,
  ) {
    this.catalog = root.openDB<unknown, CatalogKey>('catalog', { encoding: 'json' });
  }

  static open(directory: string): LmdbEnvironment {
    mkdirSync(directory, { recursive: true });
    const file = join(directory, 'views.mdb');
    return new LmdbEnvironment(open({ path: file, maxDbs: MAX_DATABASES }), file);
  }

  /** The size of the data file: LMDB grows it as pages are used, and reuses freed pages rather than shrink it. */
  async bytesOnDisk(): Promise<number> {
    return (await stat(this.file)).size;
  }

  /** Runs the writes in one transaction and resolves once it is flushed to disk. */
  async durably<T>(writes: () => T): Promise<T> {
    const result = await this.root.transaction(writes);
    await this.root.flushed;
    return result;
  }

  openJson<V>(name: string): Database<V, CatalogKey> {
    return this.root.openDB<V, CatalogKey>(name, { encoding: 'json' });
  }

  databasesOf(generation: string): GenerationDatabases {
    let databases = this.generations.get(generation);
    if (!databases) {
      databases = {
        views: new Map(
          VIEW_NAMES.map((view) => [
            view,
            this.root.openDB<string, string>(`v/${generation}/${view}`, { encoding: 'string' }),
          ]),
        ),
        entries: this.root.openDB<string, IndexKey>(`x/${generation}`, { dupSort: true, encoding: 'ordered-binary' }),
      };
      this.generations.set(generation, databases);
    }
    return databases;
  }

  /** Deletes a generation's views and index (handles opened earlier fail from then on). */
  async dropDatabasesOf(generation: string): Promise<void> {
    const { views, entries } = this.databasesOf(generation);
    this.generations.delete(generation);
    for (const database of [...views.values(), entries]) await database.drop();
  }

  info(generation: string): GenerationInfo | undefined {
    return this.catalog.get(['generation', generation]) as GenerationInfo | undefined;
  }

  infos(): GenerationInfo[] {
    return [...this.catalog.getRange({ start: ['generation'], end: ['generation\u0000'] })]
      .map(({ value }) => value as GenerationInfo)
      .sort((a, b) => compareScalars(a.name, b.name));
  }

  revision(generation: string, view: ViewName): number {
    return (this.catalog.get(['revision', generation, view]) as number | undefined) ?? 0;
  }

  putRevision(generation: string, view: ViewName, revision: number): void {
    this.catalog.putSync(['revision', generation, view], revision);
  }

  putOffset(generation: string, { topic, partition, offset }: ConsumedPosition): void {
    this.catalog.putSync(['offset', generation, topic, partition], offset);
  }

  /** Sorted by topic, then partition (the keys' order). */
  offsets(generation: string): ConsumedPosition[] {
    return [...this.catalog.getRange(this.rangeOf('offset', generation))].map(({ key, value }) => ({
      topic: key[2] as string,
      partition: key[3] as number,
      offset: value as string,
    }));
  }

  /** Removes the offsets and revisions of a generation, in the transaction under way. */
  forgetGeneration(generation: string): void {
    for (const kind of ['offset', 'revision']) {
      for (const key of this.catalog.getKeys(this.rangeOf(kind, generation))) this.catalog.removeSync(key);
    }
    this.catalog.removeSync(['generation', generation]);
  }

  close(): Promise<void> {
    return this.root.close();
  }

  /** Every key `[kind, generation, ...]`: generation names never hold NUL, which orders after them and before longer names. */
  private rangeOf(kind: string, generation: string) {
    return { start: [kind, generation], end: [kind, `${generation}\u0000`] };
  }
}
