import {
  FieldPath,
  InMemoryViews,
  Scalar,
  ViewDocument,
  ViewName,
  ViewQuery,
  ViewWrite,
  compareScalars,
} from '@prov/projections';
import { InMemoryAuditLog } from './in-memory-audit-log';
import { InMemoryDeadLetters } from './in-memory-dead-letters';
import { checkFieldPath, checkQueryPaths, checkWritePaths } from '../field-path';
import { checkGenerationName } from '../generation-name';
import { ActiveGenerationDropError, UnknownGenerationError } from '../lineage-store.errors';
import type {
  ConsumedPosition,
  GenerationInfo,
  GenerationKind,
  LineageStore,
  StoreHoldings,
  ViewGeneration,
} from '../lineage-store.port';
import { generationHoldings } from '../generation-holdings';

interface StoredGeneration {
  info: GenerationInfo;
  views: InMemoryViews;
  /** By `<topic>|<partition>`. */
  offsets: Map<string, ConsumedPosition>;
  revisions: Map<ViewName, number>;
}

/** The embedded mode's lineage store: every generation in process memory, gone when the process ends. */
export class InMemoryLineageStore implements LineageStore {
  readonly auditLog = new InMemoryAuditLog();
  readonly deadLetters = new InMemoryDeadLetters();
  private readonly stored = new Map<string, StoredGeneration>();
  private active: string | undefined;

  async generation(name: string, info: { kind?: GenerationKind; asOf?: string } = {}): Promise<ViewGeneration> {
    checkGenerationName(name);
    let generation = this.stored.get(name);
    if (!generation) {
      generation = {
        info: {
          name,
          kind: info.kind ?? 'live',
          createdAt: new Date().toISOString(),
          ...(info.asOf === undefined ? {} : { asOf: info.asOf }),
        },
        views: new InMemoryViews(),
        offsets: new Map(),
        revisions: new Map(),
      };
      this.stored.set(name, generation);
    }
    return new InMemoryViewGeneration(name, generation);
  }

  async generations(): Promise<GenerationInfo[]> {
    return [...this.stored.values()].map(({ info }) => ({ ...info })).sort((a, b) => compareScalars(a.name, b.name));
  }

  async markCaughtUp(name: string, at: string): Promise<void> {
    this.existing(name).info.caughtUpAt = at;
  }

  async activeGeneration(): Promise<string | undefined> {
    return this.active;
  }

  async activate(name: string): Promise<void> {
    this.existing(name);
    this.active = name;
  }

  async dropGeneration(name: string): Promise<void> {
    checkGenerationName(name);
    if (this.active === name) throw new ActiveGenerationDropError(name);
    const generation = this.stored.get(name);
    if (!generation) return;
    // Handles opened earlier see empty views, as they would see dropped collections.
    generation.views.clear();
    generation.offsets.clear();
    this.stored.delete(name);
  }

  async holdings(): Promise<StoreHoldings> {
    const active = this.active === undefined ? undefined : this.stored.get(this.active);
    return {
      kind: 'memory',
      active: active ? await generationHoldings(new InMemoryViewGeneration(active.info.name, active)) : null,
      bytesOnDisk: null,
    };
  }

  async close(): Promise<void> {
    // Nothing to release: the data lives only as long as this object.
  }

  private existing(name: string): StoredGeneration {
    checkGenerationName(name);
    const generation = this.stored.get(name);
    if (!generation) throw new UnknownGenerationError(name);
    return generation;
  }
}

/** A generation's views with the same path checks (and typed errors) as the MongoDB adapter. */
class InMemoryViewGeneration implements ViewGeneration {
  constructor(
    readonly name: string,
    private readonly generation: StoredGeneration,
  ) {}

  get(view: ViewName, ids: readonly string[]): Promise<Map<string, ViewDocument>> {
    return this.generation.views.get(view, ids);
  }

  async find(view: ViewName, query: ViewQuery): Promise<ViewDocument[]> {
    checkQueryPaths(query);
    return this.generation.views.find(view, query);
  }

  async count(view: ViewName, where?: ViewQuery['where']): Promise<number> {
    checkQueryPaths({ where });
    return this.generation.views.count(view, where);
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
    return this.generation.views.sum(view, where, field, groupBy);
  }

  async apply(writes: readonly ViewWrite[]): Promise<void> {
    checkWritePaths(writes);
    await this.generation.views.apply(writes);
    for (const view of new Set(writes.map((write) => write.view))) {
      this.generation.revisions.set(view, (this.generation.revisions.get(view) ?? 0) + 1);
    }
  }

  async insertNew(view: ViewName, docs: readonly ViewDocument[]): Promise<Set<string>> {
    const present = await this.generation.views.insertNew(view, docs);
    this.generation.revisions.set(view, (this.generation.revisions.get(view) ?? 0) + 1);
    return present;
  }

  async revisions(views: readonly ViewName[]): Promise<Map<ViewName, number>> {
    return new Map(views.map((view) => [view, this.generation.revisions.get(view) ?? 0]));
  }

  async saveOffsets(positions: ConsumedPosition[]): Promise<void> {
    for (const { topic, partition, offset } of positions) {
      this.generation.offsets.set(`${topic}|${partition}`, { topic, partition, offset });
    }
  }

  async loadOffsets(): Promise<ConsumedPosition[]> {
    return [...this.generation.offsets.values()]
      .map((position) => ({ ...position }))
      .sort((a, b) => compareScalars(a.topic, b.topic) || a.partition - b.partition);
  }
}
