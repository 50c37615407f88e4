import type { LineageStore, ViewGeneration } from '@prov/lineage-store';
import type { ViewReader } from '@prov/projections';
import { ServiceUnavailableError } from '@prov/http-service';
import { RevisionCheckedCache } from './revision-checked-cache';

/** How long requests share one reading of the lineage views' revisions (see RevisionCheckedCache). */
export const LINEAGE_STALENESS_MS = 100;

/**
 * The generation queries read: the store's active one, looked up at most
 * once a second, so a rebuild's switch is seen at once and a half-built
 * generation never is. Each request gets its own reader over it, sharing the
 * lineage documents kept by the RevisionCheckedCache.
 */
export class ActiveViews {
  private cached?: { at: number; generation: ViewGeneration };
  private readonly lineageDocuments: RevisionCheckedCache;

  constructor(
    private readonly store: LineageStore,
    private readonly maxAgeMs = 1000,
    lineageStalenessMs = LINEAGE_STALENESS_MS,
  ) {
    this.lineageDocuments = new RevisionCheckedCache(undefined, undefined, lineageStalenessMs);
  }

  async current(): Promise<ViewReader & { readonly name: string }> {
    return this.lineageDocuments.reader(await this.activeGeneration());
  }

  private async activeGeneration(): Promise<ViewGeneration> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.maxAgeMs) return this.cached.generation;
    const name = await this.store.activeGeneration();
    if (name === undefined) {
      throw new ServiceUnavailableError('the lineage views are still being built; try again shortly');
    }
    const generation =
      this.cached?.generation.name === name ? this.cached.generation : await this.store.generation(name);
    this.cached = { at: now, generation };
    return generation;
  }
}
