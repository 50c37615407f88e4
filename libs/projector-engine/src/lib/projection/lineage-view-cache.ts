import {
  compareScalars,
  setAt,
  type EdgeDocument,
  type Scalar,
  type ViewDocument,
  type ViewName,
  type ViewQuery,
  type ViewReader,
  type ViewWrite,
  type ViewWriter,
} from '@prov/projections';
import { LRUCache } from 'lru-cache';

/** The views of lineage documents read by `_id`, which only the lineage's single writer changes. */
const CACHED_DOCUMENTS: ReadonlySet<ViewName> = new Set<ViewName>(['nodes', 'model_lineage']);
type EdgeEnd = 'to' | 'from';
/** A document (null: the view does not hold it), or every `rel` edge whose `end` is one id. */
type Entry = { doc: ViewDocument | null } | { edges: EdgeDocument[] };

/**
 * A write-through cache of the lineage views in front of one generation,
 * for the replica that folds the lineage topics (their single writer): the
 * documents it read or wrote (`nodes`, `model_lineage`, absent ones too) and
 * the edges into or out of each entity it asked about. Folding a model
 * version re-reads its run, pipeline, slices and datasets, and a slice's
 * impact every model trained on it; on a MongoDB-wire store each such read
 * is a round trip (an `$in` is a collection scan on FerretDB), which is what
 * limited the lineage fold.
 *
 * It is exact only while nothing else writes these views: the owner clears
 * it whenever another writer may have (see `GenerationFeed`). Writes go
 * to the store first and reach the cache once acknowledged; a failed write
 * clears it. Least recently used entries are dropped past `capacity`.
 */
export class LineageViewCache implements ViewReader, ViewWriter {
  /** `doc|view|id` and `edge|rel|end|id`, least recently used dropped first. */
  private readonly entries: LRUCache<string, Entry>;

  constructor(
    private readonly views: ViewReader & ViewWriter,
    readonly capacity: number,
  ) {
    this.entries = new LRUCache({ max: capacity });
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  async get(view: ViewName, ids: readonly string[]): Promise<Map<string, ViewDocument>> {
    if (!CACHED_DOCUMENTS.has(view)) return this.views.get(view, ids);
    const found = new Map<string, ViewDocument>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const cached = this.entries.get(docKey(view, id));
      if (!cached || !('doc' in cached)) missing.push(id);
      else if (cached.doc !== null) found.set(id, structuredClone(cached.doc));
    }
    if (missing.length > 0) {
      const read = await this.views.get(view, missing);
      for (const id of missing) {
        const doc = read.get(id);
        this.entries.set(docKey(view, id), { doc: doc ? structuredClone(doc) : null });
        if (doc) found.set(id, doc);
      }
    }
    return found;
  }

  async find(view: ViewName, query: ViewQuery): Promise<ViewDocument[]> {
    const edgeQuery = view === 'edges' ? edgesQuery(query) : undefined;
    if (!edgeQuery) return this.views.find(view, query);
    const { end, ids, rel } = edgeQuery;
    const found = new Map<string, EdgeDocument>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const cached = this.entries.get(edgeKey(rel, end, id));
      if (!cached || !('edges' in cached)) missing.push(id);
      else for (const edge of cached.edges) found.set(edge._id, structuredClone(edge));
    }
    if (missing.length > 0) {
      const read = (await this.views.find('edges', {
        where: { [end]: { in: missing }, rel },
      })) as EdgeDocument[];
      const byEnd = new Map<string, EdgeDocument[]>(missing.map((id) => [id, []]));
      for (const edge of read) {
        byEnd.get(edge[end])?.push(structuredClone(edge));
        found.set(edge._id, edge);
      }
      for (const [id, edges] of byEnd) this.entries.set(edgeKey(rel, end, id), { edges });
    }
    // As the store answers a query without a sort: by `_id`.
    return [...found.values()].sort((a, b) => compareScalars(a._id, b._id));
  }

  count(view: ViewName, where?: ViewQuery['where']): Promise<number> {
    return this.views.count(view, where);
  }

  sum(
    view: ViewName,
    where: ViewQuery['where'],
    field: string,
    groupBy: string,
  ): Promise<Array<{ key: Scalar; total: number; count: number }>> {
    return this.views.sum(view, where, field, groupBy);
  }

  async apply(writes: readonly ViewWrite[]): Promise<void> {
    try {
      await this.views.apply(writes);
    } catch (error) {
      // Some writes may have landed and others not: what the store holds is no longer known here.
      this.clear();
      throw error;
    }
    for (const write of writes) this.follow(write);
  }

  async insertNew(view: ViewName, docs: readonly ViewDocument[]): Promise<Set<string>> {
    try {
      return await this.views.insertNew(view, docs);
    } finally {
      // Which of them the store kept is the store's answer: read them again when asked.
      if (CACHED_DOCUMENTS.has(view)) for (const doc of docs) this.entries.delete(docKey(view, doc._id));
      if (view === 'edges') this.forgetEdges();
    }
  }

  /** Brings the cached entries a write touches to what the store now holds. */
  private follow(write: ViewWrite): void {
    if (write.view === 'edges') {
      this.followEdge(write);
      return;
    }
    if (!CACHED_DOCUMENTS.has(write.view)) return;
    const key = docKey(write.view, write.id);
    switch (write.op) {
      case 'set': {
        const cached = this.entries.peek(key);
        // A document never read is left to be read when asked (its other fields are not known here).
        if (!cached || !('doc' in cached)) return;
        const doc: ViewDocument = cached.doc ?? { _id: write.id };
        for (const [path, value] of Object.entries(write.fields)) setAt(doc, path.split('.'), structuredClone(value));
        this.entries.set(key, { doc });
        return;
      }
      case 'replace':
        this.entries.set(key, { doc: { ...structuredClone(write.doc), _id: write.id } });
        return;
      case 'delete':
        this.entries.set(key, { doc: null });
        return;
    }
  }

  private followEdge(write: ViewWrite): void {
    if (write.op !== 'replace') {
      // Edges are only ever replaced whole; anything else is not followed, so nothing of them stays.
      this.forgetEdges();
      return;
    }
    const edge = { ...structuredClone(write.doc), _id: write.id } as EdgeDocument;
    for (const end of ['to', 'from'] as const) {
      const cached = this.entries.peek(edgeKey(edge.rel, end, edge[end]));
      if (!cached || !('edges' in cached)) continue;
      const index = cached.edges.findIndex((known) => known._id === edge._id);
      if (index >= 0) cached.edges[index] = edge;
      else cached.edges.push(edge);
    }
  }

  private forgetEdges(): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith('edge|')) this.entries.delete(key);
  }
}

function docKey(view: ViewName, id: string): string {
  return `doc|${view}|${id}`;
}

function edgeKey(rel: string, end: EdgeEnd, id: string): string {
  return `edge|${rel}|${end}|${id}`;
}

/**
 * The edge queries the projections make (`edgesInto`, `edgesOutOf`): the
 * `rel` edges whose one end is any of some ids, unsorted and uncapped.
 * Any other query goes to the store.
 */
function edgesQuery(query: ViewQuery): { end: EdgeEnd; ids: string[]; rel: string } | undefined {
  if (query.sort?.length || query.limit !== undefined) return undefined;
  const where = query.where ?? {};
  const paths = Object.keys(where);
  const rel = where['rel'];
  if (paths.length !== 2 || typeof rel !== 'string') return undefined;
  for (const end of ['to', 'from'] as const) {
    const condition = where[end];
    if (typeof condition === 'string') return { end, ids: [condition], rel };
    if (
      condition !== null &&
      typeof condition === 'object' &&
      'in' in condition &&
      condition.in.every((id): id is string => typeof id === 'string')
    ) {
      return { end, ids: condition.in, rel };
    }
  }
  return undefined;
}
