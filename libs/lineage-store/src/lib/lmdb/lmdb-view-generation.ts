import { selectDocuments, setAt, sumGroups } from '@prov/projections';
import type { FieldPath, Scalar, ViewDocument, ViewName, ViewQuery, ViewWrite } from '@prov/projections';
import type { Database } from 'lmdb';
import { checkFieldPath, checkQueryPaths, checkWritePaths } from '../field-path';
import type { ConsumedPosition, ViewGeneration } from '../lineage-store.port';
import type { LmdbEnvironment } from './lmdb-environment';
import { fromStoredJson, toStoredJson } from './stored-json';
import { indexEntries, indexLookup, type IndexKey } from './view-index-entries';

/** A generation's databases: one per view (`id -> JSON`), and its index entries (`[view, field, type, value] -> ids`). */
export interface GenerationDatabases {
  views: ReadonlyMap<ViewName, Database<string, string>>;
  entries: Database<string, IndexKey>;
}

/** A write whose values were encoded before its transaction began, so that nothing in the transaction can refuse it. */
type PreparedWrite =
  | { op: 'set'; view: ViewName; id: string; fields: Array<[string[], unknown]> }
  | { op: 'replace'; view: ViewName; id: string; json: string; doc: ViewDocument }
  | { op: 'delete'; view: ViewName; id: string };

/**
 * One generation's views in the embedded store. Every `apply` and
 * `insertNew` is one transaction with its revisions, and `saveOffsets` one
 * more, each awaited until flushed to disk: writes acknowledged before a
 * batch's offsets are committed are never lost, and a batch cut short
 * leaves whole `apply` calls, which folding the batch again makes whole.
 */
export class LmdbViewGeneration implements ViewGeneration {
  constructor(
    readonly name: string,
    private readonly databases: GenerationDatabases,
    private readonly environment: LmdbEnvironment,
  ) {}

  async get(view: ViewName, ids: readonly string[]): Promise<Map<string, ViewDocument>> {
    const found = new Map<string, ViewDocument>();
    for (const id of ids) {
      const doc = this.read(view, id);
      if (doc) found.set(id, doc);
    }
    return found;
  }

  async find(view: ViewName, query: ViewQuery): Promise<ViewDocument[]> {
    checkQueryPaths(query);
    return selectDocuments(this.candidates(view, query.where), query);
  }

  async count(view: ViewName, where?: ViewQuery['where']): Promise<number> {
    checkQueryPaths({ where });
    // LMDB's own entry count: getCount() would read every document of the view (all of its pages) to count them.
    if (Object.keys(where ?? {}).length === 0)
      return (this.viewDatabase(view).getStats() as { entryCount: number }).entryCount;
    return selectDocuments(this.candidates(view, where), { where }).length;
  }

  async sum(
    view: ViewName,
    where: ViewQuery['where'],
    field: FieldPath,
    groupBy: FieldPath,
  ): Promise<Array<{ key: Scalar; total: number; count: number }>> {
    checkQueryPaths({ where });
    checkFieldPath(field);
    checkFieldPath(groupBy);
    return sumGroups(selectDocuments(this.candidates(view, where), { where }), field, groupBy);
  }

  async apply(writes: readonly ViewWrite[]): Promise<void> {
    checkWritePaths(writes);
    const prepared = writes.map(prepare);
    await this.environment.durably(() => {
      for (const write of prepared) this.applyOne(write);
      this.raiseRevisions(new Set(writes.map((write) => write.view)));
    });
  }

  async insertNew(view: ViewName, docs: readonly ViewDocument[]): Promise<Set<string>> {
    const encoded = docs.map((doc) => ({ doc, json: toStoredJson(doc) }));
    const views = this.viewDatabase(view);
    // Checked and written in one write transaction: of writers racing on an id, the first to commit inserts it.
    return this.environment.durably(() => {
      const present = new Set<string>();
      for (const { doc, json } of encoded) {
        if (views.doesExist(doc._id)) present.add(doc._id);
        else this.store(view, doc, json, undefined);
      }
      this.raiseRevisions([view]);
      return present;
    });
  }

  async revisions(views: readonly ViewName[]): Promise<Map<ViewName, number>> {
    return new Map(views.map((view) => [view, this.environment.revision(this.name, view)]));
  }

  async saveOffsets(positions: ConsumedPosition[]): Promise<void> {
    if (positions.length === 0) return;
    await this.environment.durably(() => {
      for (const position of positions) this.environment.putOffset(this.name, position);
    });
  }

  async loadOffsets(): Promise<ConsumedPosition[]> {
    return this.environment.offsets(this.name);
  }

  private applyOne(write: PreparedWrite): void {
    const stored = this.read(write.view, write.id);
    switch (write.op) {
      case 'set': {
        const doc: ViewDocument = stored ? structuredClone(stored) : { _id: write.id };
        for (const [path, value] of write.fields) setAt(doc, path, structuredClone(value));
        this.store(write.view, doc, toStoredJson(doc), stored);
        return;
      }
      case 'replace':
        this.store(write.view, write.doc, write.json, stored);
        return;
      case 'delete':
        if (!stored) return;
        this.unindex(write.view, stored);
        this.viewDatabase(write.view).removeSync(write.id);
        return;
    }
  }

  /** Stores a document in the transaction under way, its index entries following it. */
  private store(view: ViewName, doc: ViewDocument, json: string, stored: ViewDocument | undefined): void {
    if (stored) this.unindex(view, stored);
    for (const key of indexEntries(view, doc)) this.databases.entries.putSync(key, doc._id);
    this.viewDatabase(view).putSync(doc._id, json);
  }

  private unindex(view: ViewName, doc: ViewDocument): void {
    for (const key of indexEntries(view, doc)) this.databases.entries.removeSync(key, doc._id);
  }

  private raiseRevisions(views: Iterable<ViewName>): void {
    for (const view of views)
      this.environment.putRevision(this.name, view, this.environment.revision(this.name, view) + 1);
  }

  /**
   * The documents a query may hold for: those an index lists for its first
   * condition on an indexed field (equalities before ranges), or the whole view.
   */
  private candidates(view: ViewName, where: ViewQuery['where']): Iterable<ViewDocument> {
    const lookups = Object.entries(where ?? {})
      .map(([field, condition]) => indexLookup(view, field, condition))
      .filter((lookup) => lookup !== undefined)
      .sort((a, b) => Number('start' in a) - Number('start' in b));
    const lookup = lookups[0];
    if (!lookup) return this.scan(view);
    const ids = new Set<string>();
    if ('keys' in lookup) {
      for (const key of lookup.keys) for (const id of this.databases.entries.getValues(key)) ids.add(id);
    } else {
      const range = this.databases.entries.getRange({ start: lookup.start, end: lookup.end });
      for (const { value } of range) ids.add(value);
    }
    return [...ids].map((id) => this.read(view, id)).filter((doc) => doc !== undefined);
  }

  private *scan(view: ViewName): Iterable<ViewDocument> {
    for (const { value } of this.viewDatabase(view).getRange()) yield fromStoredJson(value);
  }

  private read(view: ViewName, id: string): ViewDocument | undefined {
    const json = this.viewDatabase(view).get(id);
    return json === undefined ? undefined : fromStoredJson(json);
  }

  private viewDatabase(view: ViewName): Database<string, string> {
    return this.databases.views.get(view) as Database<string, string>;
  }
}

function prepare(write: ViewWrite): PreparedWrite {
  switch (write.op) {
    case 'set':
      toStoredJson(write.fields);
      return { ...write, fields: Object.entries(write.fields).map(([path, value]) => [path.split('.'), value]) };
    case 'replace': {
      const doc = { ...write.doc, _id: write.id };
      return { op: 'replace', view: write.view, id: write.id, doc, json: toStoredJson(doc) };
    }
    case 'delete':
      return write;
  }
}
