import type { ViewGeneration } from '@prov/lineage-store';
import type { FieldPath, Scalar, ViewDocument, ViewName, ViewQuery, ViewReader } from '@prov/projections';
import { LRUCache } from 'lru-cache';

/**
 * The lineage documents every trace reads (deployment nodes and model
 * lineages) are few and change only when a lineage event is folded, while
 * predictions keep arriving. They are kept in memory, each with the revision
 * of its view observed before it was read (ViewGeneration.revisions). A
 * request reads the revisions once, alongside its first read, and serves a
 * kept document only while its view's revision is unchanged: an answer is as
 * fresh as one read from the store, with one round trip fewer.
 */
export class RevisionCheckedCache {
  private readonly entries: LRUCache<string, { revision: number; doc: ViewDocument | undefined }>;
  private generationName?: string;

  constructor(
    readonly views: readonly ViewName[] = ['nodes', 'model_lineage'],
    capacity = 20_000,
  ) {
    this.entries = new LRUCache({ max: capacity });
  }

  get size(): number {
    return this.entries.size;
  }

  /** A reader for one request on this generation. */
  reader(generation: ViewGeneration): ViewReader & { readonly name: string } {
    if (generation.name !== this.generationName) {
      this.entries.clear();
      this.generationName = generation.name;
    }
    return new RequestReader(generation, this);
  }

  lookup(view: ViewName, id: string, revision: number): { doc: ViewDocument | undefined } | undefined {
    const key = `${view}|${id}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.revision !== revision) {
      this.entries.delete(key);
      return undefined;
    }
    return { doc: entry.doc };
  }

  keep(generationName: string, view: ViewName, id: string, revision: number, doc: ViewDocument | undefined): void {
    if (generationName !== this.generationName) return;
    const key = `${view}|${id}`;
    const kept = this.entries.peek(key);
    // A newer revision kept by a concurrent request wins over this older read.
    if (kept && kept.revision > revision) return;
    this.entries.set(key, { revision, doc: doc === undefined ? undefined : deepFreeze(doc) });
  }
}

class RequestReader implements ViewReader {
  private revisions?: Promise<Map<ViewName, number>>;

  constructor(
    private readonly generation: ViewGeneration,
    private readonly cache: RevisionCheckedCache,
  ) {}

  get name(): string {
    return this.generation.name;
  }

  async get(view: ViewName, ids: readonly string[]): Promise<Map<string, ViewDocument>> {
    // Started with the request's first read, so that it costs no round trip of its own.
    this.revisions ??= this.generation.revisions(this.cache.views);
    if (!this.cache.views.includes(view)) return this.generation.get(view, ids);
    const revision = (await this.revisions).get(view) ?? 0;
    const found = new Map<string, ViewDocument>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const hit = this.cache.lookup(view, id, revision);
      if (!hit) missing.push(id);
      else if (hit.doc) found.set(id, hit.doc);
    }
    if (missing.length > 0) {
      const read = await this.generation.get(view, missing);
      for (const id of missing) {
        const doc = read.get(id);
        this.cache.keep(this.generation.name, view, id, revision, doc);
        if (doc) found.set(id, doc);
      }
    }
    return found;
  }

  find(view: ViewName, query: ViewQuery): Promise<ViewDocument[]> {
    return this.generation.find(view, query);
  }

  count(view: ViewName, where?: ViewQuery['where']): Promise<number> {
    return this.generation.count(view, where);
  }

  sum(
    view: ViewName,
    where: ViewQuery['where'],
    field: FieldPath,
    groupBy: FieldPath,
  ): Promise<Array<{ key: Scalar; total: number; count: number }>> {
    return this.generation.sum(view, where, field, groupBy);
  }
}

/** Kept documents are shared by every request: nothing may change them. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
