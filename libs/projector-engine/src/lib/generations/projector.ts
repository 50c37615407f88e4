import { DomainError, isTimestamp } from '@prov/contracts';
import type { EventLog, PartitionPosition } from '@prov/event-log';
import type { LineageStore } from '@prov/lineage-store';
import type { AlertDocument } from '@prov/projections';
import type { DecodingPolicy } from '../decoding/record-decoder';
import type { DeadLetterPublisher } from '../dead-letters/dead-letter-publisher';
import type { AlertNotifier } from '../alerts/alert-notifier.port';
import type { ProjectorMetrics } from '../metrics/projector-metrics';
import { FeedProgress, GenerationFeed } from '../projection/generation-feed';
import {
  FIRST_LIVE_GENERATION,
  auditGenerationName,
  generationGroupId,
  newLiveGenerationName,
} from './generation-names';

export interface ProjectorOptions {
  policy: DecodingPolicy;
  metrics: ProjectorMetrics;
  deadLetters: DeadLetterPublisher;
  maxBatchSize: number;
  /** Entries of the lineage views each generation's feed keeps in memory while it folds the lineage (0: none). */
  lineageCacheEntries?: number;
  /** How often progress is checked and reported while catching up, and the active generation looked up. */
  pollIntervalMs: number;
  onProgress?: (progress: FeedProgress) => void;
  /**
   * A partition that has records to fold and has not been delivered for this
   * long makes the feed (live, or a generation catching up) leave the group
   * and join again (90 s by default).
   */
  stallMs?: number;
  /** Audit generations kept once built, the latest first; older ones are dropped (10 by default). */
  auditGenerationsKept?: number;
  /** Told of the alerts the live generation raises (not those a rebuild raises again while it catches up). */
  alertNotifier?: AlertNotifier;
  log?: (message: string) => void;
}

const DEFAULT_STALL_MS = 90_000;
const DEFAULT_AUDIT_GENERATIONS_KEPT = 10;

export class InvalidAsOfError extends DomainError {
  readonly kind = 'invalid';
  readonly retriable = false;
  constructor(asOf: string) {
    super(
      `the as-of time must be an RFC 3339 date-time with an offset (e.g. 2026-11-04T12:00:00Z), not ${JSON.stringify(asOf)}`,
      [{ path: 'asOf', problem: 'must be an RFC 3339 date-time with an offset' }],
    );
  }
}

/**
 * An audit rebuild folds the whole log into a generation of its own: one at
 * a time, or one caller could start any number at once and exhaust the
 * process (and the store).
 */
export class AuditRebuildRunningError extends DomainError {
  readonly kind = 'conflict';
  readonly retriable = true;
  constructor(readonly running: string) {
    super(`the audit rebuild of ${running} is under way; ask again once it holds its events (GET /v1/generations)`, [
      { path: 'name', problem: `${running} is being built` },
    ]);
  }
}

export interface AuditRebuildResult {
  generation: string;
  asOf: string;
  processed: number;
}

/**
 * Keeps the active view generation fed from the log, and builds new ones:
 * a rebuild replays every topic from the earliest offset into a fresh
 * generation and makes it the active one only once it has caught up, so
 * queries never see a half-built view; an audit rebuild folds only what was
 * recorded up to a time into a named generation that is never activated.
 * The live feed follows the store's active generation, so a rebuild run by
 * another process is picked up too.
 */
export class Projector {
  private live?: GenerationFeed;
  private readonly building = new Map<string, GenerationFeed>();
  /** Rebuilds under way in this replica, by generation: a second request for one joins it. */
  private readonly builds = new Map<string, Promise<string>>();
  /** Audit generations this replica folds. */
  private readonly auditing = new Set<string>();
  /** Rebuilds and audit rebuilds begin one at a time. */
  private starting: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly wakers = new Set<() => void>();
  private readonly catchingUp = new Map<string, FeedProgress>();
  // Generations this projector activated: their feed announces alerts from then on, before it becomes the live one.
  private readonly activated = new Set<string>();

  constructor(
    private readonly log: EventLog,
    private readonly store: LineageStore,
    private readonly options: ProjectorOptions,
  ) {}

  /** The generation the live feed folds into, if it runs. */
  get liveGeneration(): string | undefined {
    return this.live?.name;
  }

  /** The latest progress of each generation still catching up (for a progress bar). */
  progressOf(generation: string): FeedProgress | undefined {
    return this.catchingUp.get(generation);
  }

  /** Runs the live feed until stop(): first start builds and activates a generation. */
  async runLive(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.followActive();
        await this.pause(this.options.pollIntervalMs);
        await this.reportLive();
      } catch (error) {
        // A store or log that is away for a while is waited for, not a reason to stop.
        this.say(`live feed: ${(error as Error).message}; trying again`);
        await this.pause(this.options.pollIntervalMs);
      }
    }
  }

  private async followActive(): Promise<void> {
    const active = await this.store.activeGeneration();
    if (active === undefined) {
      // A first build cut short (a crash, a kill) is resumed from its committed offsets, not begun again;
      // replicas starting together on an empty store all build the same first generation.
      const unfinished = (await this.store.generations())
        .filter((g) => g.kind === 'live' && g.caughtUpAt === undefined)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .pop();
      await this.rebuild(unfinished?.name ?? FIRST_LIVE_GENERATION);
    } else if (this.live?.name !== active) {
      await this.switchLiveTo(active);
    }
    if (!this.stopped) await this.joinBuilds(active);
  }

  /**
   * Takes part in the generations other replicas are building (a rebuild, an
   * audit): each replica joins the generation's consumer group, so the group
   * shares its partitions among all of them, as for the live generation.
   */
  private async joinBuilds(active: string | undefined): Promise<void> {
    for (const generation of await this.store.generations()) {
      const { name, kind, caughtUpAt, asOf } = generation;
      if (caughtUpAt !== undefined || name === active || this.live?.name === name) continue;
      if (this.building.has(name) || this.builds.has(name) || this.auditing.has(name)) continue;
      if (kind === 'live') {
        const { done } = await this.beginRebuild(name);
        done.catch((error: Error) => this.say(`rebuild of ${name} stopped: ${error.message}`));
      } else if (asOf !== undefined) {
        const done = this.foldAudit(generation.name, asOf, await this.store.generation(name));
        done.catch((error: Error) => this.say(`audit rebuild ${name} stopped: ${error.message}`));
      }
    }
  }

  /** Lag and open alerts of the live generation, as metrics; a live feed that stalled joins its group again. */
  private async reportLive(): Promise<void> {
    const live = this.live;
    if (!live || this.stopped) return;
    await live.progress();
    const stalled = await live.stalledPartitions(this.options.stallMs ?? DEFAULT_STALL_MS);
    if (stalled.length > 0) {
      // A consumer left behind by a broker or store outage has been seen to fetch some partitions no more,
      // until its process was restarted: joining the group again starts a new consumer from the committed offsets.
      this.say(
        `live feed: ${stalled.join(', ')} not delivered for a while with records to fold; joining the group again`,
      );
      this.live = undefined;
      await live.stop();
      return;
    }
    const byType = await live.options.generation.sum('alerts', undefined, 'count', 'type');
    this.options.metrics.alerts.reset();
    for (const { key, count } of byType) {
      this.options.metrics.alerts.set({ generation: live.name, type: String(key) }, count);
    }
  }

  /**
   * Replays the log into a new generation (or goes on with an unfinished one
   * of that name) and activates it once caught up; resolves with its name.
   */
  async rebuild(resume?: string): Promise<string> {
    return (await this.beginRebuild(resume)).done;
  }

  /**
   * Starts a rebuild: the new generation's name at once, and when it is
   * active. While one is being built (by this replica or another), a new
   * one is not begun: the call joins it.
   */
  beginRebuild(resume?: string): Promise<{ generation: string; done: Promise<string> }> {
    // One at a time, so that two calls at once cannot both find none running and begin one each.
    return this.oneAtATime(async () => {
      const running =
        resume ?? (await this.store.generations()).find((g) => g.kind === 'live' && g.caughtUpAt === undefined)?.name;
      const name = running ?? newLiveGenerationName();
      const joined = this.builds.get(name);
      if (joined) return { generation: name, done: joined };
      const generation = await this.store.generation(name, { kind: 'live' });
      const feed = new GenerationFeed(this.log, this.feedOptions(generation, await this.groupIdOf(name)));
      this.building.set(name, feed);
      const done = this.buildUntilActive(name, feed, resume !== undefined);
      this.builds.set(name, done);
      return { generation: name, done };
    });
  }

  private buildUntilActive(name: string, feed: GenerationFeed, resumed: boolean): Promise<string> {
    return (async () => {
      try {
        this.say(`${resumed ? 'resuming the rebuild of' : 'rebuilding the views into'} generation ${name}`);
        await feed.start();
        await this.untilCaughtUp(feed);
        if (await this.newerIsActive(name)) {
          // Another replica finished it and went on to a later one meanwhile: nothing to switch to.
          this.building.delete(name);
          await feed.stop();
          return name;
        }
        await this.store.markCaughtUp(name, new Date().toISOString());
        await this.store.activate(name);
        this.activated.add(name);
        this.say(`generation ${name} caught up and is now active`);
      } catch (error) {
        await feed.stop();
        this.building.delete(name);
        throw error;
      } finally {
        this.builds.delete(name);
      }
      await this.retireOldGenerations(name);
      return name;
    })();
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = this.starting.then(work);
    this.starting = run.catch(() => undefined);
    return run;
  }

  /** Folds what was recorded up to `asOf` into the audit generation `audit-<name>`, then stops. */
  async auditRebuild(asOf: string, name: string): Promise<AuditRebuildResult> {
    return (await this.beginAuditRebuild(asOf, name)).done;
  }

  /** Starts an audit rebuild (replacing an earlier one of that name): its generation at once, and its end. */
  async beginAuditRebuild(
    asOf: string,
    name: string,
  ): Promise<{ generation: string; done: Promise<AuditRebuildResult> }> {
    if (!isTimestamp(asOf)) throw new InvalidAsOfError(asOf);
    const generationName = auditGenerationName(name);
    return this.oneAtATime(async () => {
      const generations = await this.store.generations();
      // One at a time across replicas: an audit generation not caught up is being built (or resumed) by one of them.
      const running = generations.find((g) => g.kind === 'audit' && g.caughtUpAt === undefined)?.name;
      if (running !== undefined) throw new AuditRebuildRunningError(running);
      if (generations.some((g) => g.name === generationName)) {
        await this.store.dropGeneration(generationName);
      }
      const generation = await this.store.generation(generationName, { kind: 'audit', asOf });
      return { generation: generationName, done: this.foldAudit(generationName, asOf, generation) };
    });
  }

  /** Folds an audit generation (begun here or by another replica) until it holds what the log held when joined. */
  private foldAudit(
    generationName: string,
    asOf: string,
    generation: Awaited<ReturnType<LineageStore['generation']>>,
  ): Promise<AuditRebuildResult> {
    // Reserved at once, so that the live loop does not join it a second time while it starts.
    this.auditing.add(generationName);
    const done = this.foldAuditUntilCaughtUp(generationName, asOf, generation);
    void done.finally(() => this.auditing.delete(generationName)).catch(() => undefined);
    return done;
  }

  private async foldAuditUntilCaughtUp(
    generationName: string,
    asOf: string,
    generation: Awaited<ReturnType<LineageStore['generation']>>,
  ): Promise<AuditRebuildResult> {
    const info = (await this.store.generations()).find((g) => g.name === generationName);
    if (!info) throw new Error(`audit generation ${generationName} is gone`);
    const feed = new GenerationFeed(this.log, {
      ...this.feedOptions(generation, generationGroupId(info)),
      asOf,
    });
    this.say(`folding events recorded up to ${asOf} into ${generationName}`);
    this.building.set(generationName, feed);
    try {
      await feed.start();
      const progress = await this.untilCaughtUp(feed, await feed.logEnds());
      await this.store.markCaughtUp(generationName, new Date().toISOString());
      this.say(`${generationName} holds what was recorded up to ${asOf}`);
      await this.retireOldAuditGenerations();
      return { generation: generationName, asOf, processed: progress.processed };
    } finally {
      this.building.delete(generationName);
      await feed.stop();
    }
  }

  /** The consumer group of a generation the store records. */
  private async groupIdOf(name: string): Promise<string> {
    const info = (await this.store.generations()).find((g) => g.name === name);
    if (!info) throw new Error(`generation ${name} is not recorded in the store`);
    return generationGroupId(info);
  }

  /** Whether a generation created after this one is active (so activating this one would go back). */
  private async newerIsActive(name: string): Promise<boolean> {
    const active = await this.store.activeGeneration();
    if (active === undefined || active === name) return false;
    const generations = await this.store.generations();
    const createdAt = (generation: string) => generations.find((g) => g.name === generation)?.createdAt ?? '';
    return createdAt(active).localeCompare(createdAt(name)) > 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.wakers) wake();
    await Promise.all([this.live?.stop(), ...[...this.building.values()].map((f) => f.stop())]);
  }

  private async switchLiveTo(active: string): Promise<void> {
    const previous = this.live;
    const built = this.building.get(active);
    if (built) {
      this.building.delete(active);
      this.live = built;
    } else {
      const generation = await this.store.generation(active);
      const feed = new GenerationFeed(this.log, this.feedOptions(generation, await this.groupIdOf(active)));
      await feed.start();
      this.live = feed;
    }
    this.say(`folding live events into generation ${active}`);
    await previous?.stop();
  }

  private async untilCaughtUp(feed: GenerationFeed, targets?: PartitionPosition[]): Promise<FeedProgress> {
    try {
      for (;;) {
        const progress = await feed.progress(targets);
        this.catchingUp.set(feed.name, progress);
        this.options.onProgress?.(progress);
        if (progress.lag === 0) return progress;
        if (this.stopped) throw new Error(`stopped before generation ${feed.name} caught up`);
        const stalled = await feed.stalledPartitions(this.options.stallMs ?? DEFAULT_STALL_MS);
        if (stalled.length > 0) {
          // As for the live feed: a build whose consumer stopped fetching would otherwise never catch up.
          this.say(
            `${feed.name}: ${stalled.join(', ')} not delivered for a while with records to fold; joining the group again`,
          );
          await feed.rejoin();
        }
        await this.pause(this.options.pollIntervalMs);
      }
    } finally {
      this.catchingUp.delete(feed.name);
    }
  }

  /** Keeps the latest `auditGenerationsKept` audit generations that hold their events; drops older ones. */
  private async retireOldAuditGenerations(): Promise<void> {
    const kept = this.options.auditGenerationsKept ?? DEFAULT_AUDIT_GENERATIONS_KEPT;
    const done = (await this.store.generations())
      .filter((g) => g.kind === 'audit' && g.caughtUpAt !== undefined)
      .sort((a, b) => (a.caughtUpAt as string).localeCompare(b.caughtUpAt as string));
    await this.dropGenerations(
      done.slice(0, Math.max(0, done.length - kept)),
      `audit generation`,
      `(${kept} are kept)`,
    );
  }

  /** Keeps the new generation and the one before it (to switch back to); drops older live ones. */
  private async retireOldGenerations(current: string): Promise<void> {
    const live = (await this.store.generations())
      .filter((g) => g.kind === 'live' && g.name !== current && !this.building.has(g.name))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    await this.dropGenerations(live.slice(0, -1), 'generation', '');
  }

  private async dropGenerations(old: ReadonlyArray<{ name: string }>, what: string, why: string): Promise<void> {
    for (const { name } of old) {
      try {
        await this.store.dropGeneration(name);
        this.say(`dropped ${what} ${name}${why ? ` ${why}` : ''}`);
      } catch (error) {
        // Another replica may be dropping it too; what is left is dropped after the next rebuild.
        this.say(`could not drop ${what} ${name}: ${(error as Error).message}`);
      }
    }
  }

  private feedOptions(generation: Awaited<ReturnType<LineageStore['generation']>>, groupId: string) {
    return {
      generation,
      groupId,
      policy: this.options.policy,
      metrics: this.options.metrics,
      deadLetters: this.options.deadLetters,
      maxBatchSize: this.options.maxBatchSize,
      lineageCacheEntries: this.options.lineageCacheEntries ?? 0,
      onAlertsRaised: (feed: GenerationFeed, alerts: AlertDocument[]) => {
        // The feed replaced meanwhile raises the same ids: the notifier posts each once.
        if (feed === this.live || this.activated.has(feed.name)) this.options.alertNotifier?.notify(alerts);
      },
    };
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  private say(message: string): void {
    this.options.log?.(message);
  }
}
