import type { ProvenanceEvent } from '@prov/contracts';
import { InMemoryViews } from './in-memory-views';
import { projectEvents } from './project-events';
import { VIEW_NAMES, type ViewDocument, type ViewName } from './view-store.port';

/**
 * Given/when/then for projection tests: the given events are projected one
 * per batch in the order listed (as a stream would deliver them), the when
 * events as one batch, and `then` reads the resulting views.
 */
export function given(...history: ProvenanceEvent[]): Scenario {
  return new Scenario(history);
}

export class Scenario {
  constructor(private readonly history: readonly ProvenanceEvent[]) {}

  async when(...events: ProvenanceEvent[]): Promise<ProjectedViews> {
    const views = new InMemoryViews();
    for (const event of this.history) await projectEvents([event], views);
    if (events.length > 0) await projectEvents(events, views);
    return new ProjectedViews(views);
  }
}

export class ProjectedViews {
  constructor(readonly store: InMemoryViews) {}

  doc(view: ViewName, id: string): ViewDocument | undefined {
    return this.store.snapshot(view).find((doc) => doc._id === id);
  }

  ids(view: ViewName): string[] {
    return this.store.snapshot(view).map((doc) => doc._id);
  }

  /** Every view's documents: what a clean rebuild must reproduce. */
  snapshot(): Record<ViewName, ViewDocument[]> {
    return snapshotOf(this.store);
  }

  /** Projects more events (one batch) into the same views. */
  async and(...events: ProvenanceEvent[]): Promise<this> {
    await projectEvents(events, this.store);
    return this;
  }
}

export function snapshotOf(views: InMemoryViews): Record<ViewName, ViewDocument[]> {
  return Object.fromEntries(VIEW_NAMES.map((name) => [name, views.snapshot(name)])) as Record<ViewName, ViewDocument[]>;
}
