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
 *
 * With `maxStalenessMs`, requests share one reading of the revisions, renewed
 * in the background, so that a trace under load makes a single query (its
 * prediction): a lineage change is then seen about that much later than a
 * read from the store would see it (at most ten times that), much less than
 * the projector's own lag behind the log. After a quiet spell a request reads
 * the revisions afresh.
 */
export class RevisionCheckedCache {
  private readonly entries: LRUCache<string, { revision: number; doc: ViewDocument | undefined }>;
  /**
   * Batch documents never change once written (a redelivery writes the same
   * one), so they are kept whatever the revisions say, until the generation
   * changes; a batch not found is not kept, as it may yet arrive.
   */
  private readonly immutable: LRUCache<string, ViewDocument>;
  readonly immutableViews: readonly ViewName[] = ['prediction_batches'];
  private generationName?: string;

  private shared?: SharedReading;
  private refreshing?: Promise<Map<ViewName, number>>;

  constructor(
    readonly views: readonly ViewName[] = ['nodes', 'model_lineage'],
    capacity = 20_000,
    private readonly maxStalenessMs = 0,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache({ max: capacity });
    this.immutable = new LRUCache({ max: capacity });
  }

  /**
   * The views' revisions for a request: the shared reading while it is under
   * `maxStalenessMs` old; a little older (under ten times that), still the
   * shared reading, while a new one is made in the background for the next
   * requests; older, or failed, a new reading the request waits for.
   */
  revisions(generation: ViewGeneration): Promise<Map<ViewName, number>> {
    if (this.maxStalenessMs <= 0) return generation.revisions(this.views);
    const now = this.now();
    const shared = this.shared;
    const age = shared && shared.generation === generation.name ? now - shared.at : Infinity;
    if (age < this.maxStalenessMs) return (shared as SharedReading).revisions;
    if (age < 10 * this.maxStalenessMs) {
      if (!this.refreshing) {
        this.refreshing = this.read(generation, now).finally(() => (this.refreshing = undefined));
        this.refreshing.catch(() => undefined);
      }
      return (shared as SharedReading).revisions;
    }
    return this.read(generation, now);
  }

  private read(generation: ViewGeneration, at: number): Promise<Map<ViewName, number>> {
    const revisions = generation.revisions(this.views);
    // Shared once read: a failed reading is never handed to another request.
    return revisions.then((read) => {
      if (!this.shared || this.shared.generation !== generation.name || this.shared.at <= at)
        this.shared = { generation: generation.name, at, revisions: Promise.resolve(read) };
      return read;
    });
  }

  get size(): number {
    return this.entries.size;
  }

  /** A reader for one request on this generation. */
  reader(generation: ViewGeneration): ViewReader & { readonly name: string } {
    if (generation.name !== this.generationName) {
      this.entries.clear();
      this.immutable.clear();
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

  lookupImmutable(view: ViewName, id: string): ViewDocument | undefined {
    return this.immutable.get(`${view}|${id}`);
  }

  keepImmutable(generationName: string, view: ViewName, id: string, doc: ViewDocument): void {
    if (generationName === this.generationName) this.immutable.set(`${view}|${id}`, deepFreeze(doc));
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

interface SharedReading {
  generation: string;
  at: number;
  revisions: Promise<Map<ViewName, number>>;
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
    this.revisions ??= this.cache.revisions(this.generation);
    if (this.cache.immutableViews.includes(view)) return this.getImmutable(view, ids);
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

  private async getImmutable(view: ViewName, ids: readonly string[]): Promise<Map<string, ViewDocument>> {
    const found = new Map<string, ViewDocument>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const doc = this.cache.lookupImmutable(view, id);
      if (doc) found.set(id, doc);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const [id, doc] of await this.generation.get(view, missing)) {
        this.cache.keepImmutable(this.generation.name, view, id, doc);
        found.set(id, doc);
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
