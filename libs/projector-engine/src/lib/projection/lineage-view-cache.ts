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

/** The views of lineage documents read by `_id`, which only the lineage's single writer changes. */
const CACHED_DOCUMENTS: ReadonlySet<ViewName> = new Set<ViewName>(['nodes', 'model_lineage']);
type EdgeEnd = 'to' | 'from';

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
 * it whenever another writer may have (see `LineageCacheGuard`). Writes go
 * to the store first and reach the cache once acknowledged; a failed write
 * clears it. Least recently used entries are dropped past `capacity`.
 */
export class LineageViewCache implements ViewReader, ViewWriter {
  /** `view|id` to the document, or null when the view does not hold it. */
  private readonly documents = new Map<string, ViewDocument | null>();
  /** `rel|end|id` to every `rel` edge whose `end` is `id`. */
  private readonly edges = new Map<string, EdgeDocument[]>();

  constructor(
    private readonly views: ViewReader & ViewWriter,
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.documents.size + this.edges.size;
  }

  clear(): void {
    this.documents.clear();
    this.edges.clear();
  }

  async get(view: ViewName, ids: readonly string[]): Promise<Map<string, ViewDocument>> {
    if (!CACHED_DOCUMENTS.has(view)) return this.views.get(view, ids);
    const found = new Map<string, ViewDocument>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const cached = this.touch(this.documents, `${view}|${id}`);
      if (cached === undefined) missing.push(id);
      else if (cached !== null) found.set(id, structuredClone(cached));
    }
    if (missing.length > 0) {
      const read = await this.views.get(view, missing);
      for (const id of missing) {
        const doc = read.get(id);
        this.remember(this.documents, `${view}|${id}`, doc ? structuredClone(doc) : null);
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
      const cached = this.touch(this.edges, edgeKey(rel, end, id));
      if (cached === undefined) missing.push(id);
      else for (const edge of cached) found.set(edge._id, structuredClone(edge));
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
      for (const [id, edges] of byEnd) this.remember(this.edges, edgeKey(rel, end, id), edges);
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
      if (CACHED_DOCUMENTS.has(view)) for (const doc of docs) this.documents.delete(`${view}|${doc._id}`);
      if (view === 'edges') this.edges.clear();
    }
  }

  /** Brings the cached entries a write touches to what the store now holds. */
  private follow(write: ViewWrite): void {
    if (write.view === 'edges') {
      this.followEdge(write);
      return;
    }
    if (!CACHED_DOCUMENTS.has(write.view)) return;
    const key = `${write.view}|${write.id}`;
    switch (write.op) {
      case 'set': {
        const cached = this.documents.get(key);
        // A document never read is left to be read when asked (its other fields are not known here).
        if (cached === undefined) return;
        const doc: ViewDocument = cached === null ? { _id: write.id } : cached;
        for (const [path, value] of Object.entries(write.fields)) setAt(doc, path.split('.'), structuredClone(value));
        this.remember(this.documents, key, doc);
        return;
      }
      case 'replace':
        this.remember(this.documents, key, { ...structuredClone(write.doc), _id: write.id });
        return;
      case 'delete':
        this.remember(this.documents, key, null);
        return;
    }
  }

  private followEdge(write: ViewWrite): void {
    if (write.op !== 'replace') {
      // Edges are only ever replaced whole; anything else is not followed, so nothing of them stays.
      this.edges.clear();
      return;
    }
    const edge = { ...structuredClone(write.doc), _id: write.id } as EdgeDocument;
    for (const end of ['to', 'from'] as const) {
      const cached = this.edges.get(edgeKey(edge.rel, end, edge[end]));
      if (!cached) continue;
      const index = cached.findIndex((known) => known._id === edge._id);
      if (index >= 0) cached[index] = edge;
      else cached.push(edge);
    }
  }

  /** The cached value, now the most recently used; undefined when not cached. */
  private touch<V>(entries: Map<string, V>, key: string): V | undefined {
    const value = entries.get(key);
    if (value === undefined) return undefined;
    entries.delete(key);
    entries.set(key, value);
    return value;
  }

  private remember<V>(entries: Map<string, V>, key: string, value: V): void {
    entries.delete(key);
    entries.set(key, value);
    while (this.size > this.capacity) {
      const oldest = this.documents.size >= this.edges.size ? this.documents : this.edges;
      const first = oldest.keys().next();
      if (first.done) break;
      oldest.delete(first.value);
    }
  }
}

function edgeKey(rel: string, end: EdgeEnd, id: string): string {
  return `${rel}|${end}|${id}`;
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
