import {
  checkedPath,
  compareScalars,
  indexedValues,
  isScalar,
  selectDocuments,
  setAt,
  sumGroups,
} from './view-query.semantics';
import type {
  FieldCondition,
  FieldPath,
  Scalar,
  ViewDocument,
  ViewName,
  ViewQuery,
  ViewReader,
  ViewWrite,
  ViewWriter,
} from './view-store.port';

/**
 * Top-level fields looked up by equality often enough, in views that grow,
 * to keep an index of: the ids of the documents holding each value (each
 * element of an array). Queries on other fields scan their view.
 */
const INDEXED_FIELDS: Partial<Record<ViewName, readonly string[]>> = {
  nodes: ['kind'],
  edges: ['from', 'to'],
  prediction_batches: ['modelVersionId', 'deploymentId'],
  prediction_claims: ['predictionId'],
  prediction_losses: ['eventId', 'modelVersionId'],
  alerts: ['modelVersionId', 'type'],
};

type FieldIndex = Map<string, Map<Scalar, Set<string>>>;

/**
 * The lineage views as plain maps: the semantics every store adapter must
 * match (the lineage-store contract suite holds the MongoDB adapter to it),
 * the embedded mode's store, and the fixture of projection tests.
 * Documents are deep-copied in and out, so callers never share state with it.
 */
export class InMemoryViews implements ViewReader, ViewWriter {
  private readonly views = new Map<ViewName, Map<string, ViewDocument>>();
  private readonly indexes = new Map<ViewName, FieldIndex>();

  async get(view: ViewName, ids: readonly string[]): Promise<Map<string, ViewDocument>> {
    const docs = this.viewOf(view);
    const found = new Map<string, ViewDocument>();
    for (const id of ids) {
      const doc = docs.get(id);
      if (doc) found.set(id, structuredClone(doc));
    }
    return found;
  }

  async find(view: ViewName, query: ViewQuery): Promise<ViewDocument[]> {
    return this.select(view, query).map((doc) => structuredClone(doc));
  }

  async count(view: ViewName, where?: ViewQuery['where']): Promise<number> {
    return this.select(view, { where }).length;
  }

  async sum(
    view: ViewName,
    where: ViewQuery['where'],
    field: FieldPath,
    groupBy: FieldPath,
  ): Promise<Array<{ key: Scalar; total: number; count: number }>> {
    return sumGroups(this.select(view, { where }), field, groupBy);
  }

  async apply(writes: readonly ViewWrite[]): Promise<void> {
    for (const write of writes) this.applyOne(write);
  }

  /** Keeps the given documents themselves (not copies): the hot path stores a million of them. */
  async insertNew(view: ViewName, docs: readonly ViewDocument[]): Promise<Set<string>> {
    const stored = this.viewOf(view);
    const present = new Set<string>();
    for (const doc of docs) {
      if (stored.has(doc._id)) present.add(doc._id);
      else this.store(view, doc);
    }
    return present;
  }

  /** Every document of a view, by id (copies): for comparing generations. */
  snapshot(view: ViewName): ViewDocument[] {
    return [...this.viewOf(view).values()].sort((a, b) => compareScalars(a._id, b._id)).map((d) => structuredClone(d));
  }

  clear(): void {
    this.views.clear();
    this.indexes.clear();
  }

  private applyOne(write: ViewWrite): void {
    const docs = this.viewOf(write.view);
    switch (write.op) {
      case 'set': {
        const stored = docs.get(write.id);
        const doc = stored ? structuredClone(stored) : { _id: write.id };
        for (const [path, value] of Object.entries(write.fields)) setAt(doc, checkedPath(path), structuredClone(value));
        this.store(write.view, doc);
        return;
      }
      case 'replace':
        this.store(write.view, { ...structuredClone(write.doc), _id: write.id });
        return;
      case 'delete':
        this.unindex(write.view, docs.get(write.id));
        docs.delete(write.id);
        return;
    }
  }

  /** Stores (or replaces) a document and keeps the view's indexes in step. */
  private store(view: ViewName, doc: ViewDocument): void {
    const docs = this.viewOf(view);
    this.unindex(view, docs.get(doc._id));
    docs.set(doc._id, doc);
    const fields = INDEXED_FIELDS[view];
    if (!fields) return;
    const index = this.indexOf(view);
    for (const field of fields) {
      for (const value of indexedValues(doc[field])) {
        const byValue = index.get(field) as Map<Scalar, Set<string>>;
        let ids = byValue.get(value);
        if (!ids) byValue.set(value, (ids = new Set()));
        ids.add(doc._id);
      }
    }
  }

  private unindex(view: ViewName, doc: ViewDocument | undefined): void {
    const fields = INDEXED_FIELDS[view];
    if (!doc || !fields) return;
    const index = this.indexOf(view);
    for (const field of fields) {
      const byValue = index.get(field) as Map<Scalar, Set<string>>;
      for (const value of indexedValues(doc[field])) {
        const ids = byValue.get(value);
        ids?.delete(doc._id);
        if (ids?.size === 0) byValue.delete(value);
      }
    }
  }

  private indexOf(view: ViewName): FieldIndex {
    let index = this.indexes.get(view);
    if (!index) {
      index = new Map((INDEXED_FIELDS[view] ?? []).map((field) => [field, new Map()]));
      this.indexes.set(view, index);
    }
    return index;
  }

  /** The documents an indexed equality (or `in`) condition allows, or all of them when none applies. */
  private candidates(view: ViewName, where: Array<[FieldPath, FieldCondition]>): Iterable<ViewDocument> {
    const docs = this.viewOf(view);
    const fields = INDEXED_FIELDS[view] ?? [];
    for (const [path, condition] of where) {
      if (!fields.includes(path)) continue;
      const values = isScalar(condition)
        ? [condition]
        : condition !== null && 'in' in condition
          ? condition.in
          : undefined;
      // Null also matches a missing field, which the index does not list.
      if (!values || values.some((value) => value === null)) continue;
      const byValue = this.indexOf(view).get(path) as Map<Scalar, Set<string>>;
      const ids = new Set<string>();
      for (const value of values) for (const id of byValue.get(value) ?? []) ids.add(id);
      return [...ids].map((id) => docs.get(id) as ViewDocument);
    }
    return docs.values();
  }

  private select(view: ViewName, query: ViewQuery): ViewDocument[] {
    return selectDocuments(this.candidates(view, Object.entries(query.where ?? {})), query);
  }

  private viewOf(view: ViewName): Map<string, ViewDocument> {
    let docs = this.views.get(view);
    if (!docs) {
      docs = new Map();
      this.views.set(view, docs);
    }
    return docs;
  }
}
