import { ALL_TOPICS, DEFAULT_TOPIC_PARTITIONS, type EventOf } from '@prov/contracts';
import { EventLog, NamespacedEventLog } from '@prov/event-log';
import { MongoLineageStore } from '@prov/lineage-store';
import type { BenchSession } from '../bench-session';
import type { ServiceProcess } from '../processes/service-process';
import { publishMessages, publishPredictionBatches, Resends } from '../workload/workload-publisher';
import { projectorEnv, untilCaughtUp, untilFirstGenerationActive } from './projector-progress';
import { timeRebuild } from './rebuild-rate.bench';

/** How long closing waits for the store to drop the database. */
const CLOSE_SECONDS = 30;

/**
 * The workload projected from scratch by `replicas` projector processes of
 * one consumer group, on topics (`<run prefix><name>.`) and a database
 * (`<run database>_<name>`) of its own, so that no measurement finds work
 * another one did. As for row 2: the projectors start on the empty topics,
 * the lineage is published stage by stage, each folded before the next;
 * then the prediction batches are published at once and timed until the
 * active generation has folded the whole log. Closing it stops the
 * projectors and drops the database.
 */
export class FreshProjection {
  readonly projectors: ServiceProcess[] = [];
  lineageEvents = 0;
  lineageSeconds = 0;

  private constructor(
    private readonly session: BenchSession,
    readonly name: string,
    /** The run's log under this projection's prefix (closing it would close the run's client: never closed here). */
    readonly log: EventLog,
    readonly store: MongoLineageStore,
    readonly database: string,
  ) {}

  /** Starts the projectors on empty topics and folds the lineage. */
  static async open(session: BenchSession, name: string, replicas: number): Promise<FreshProjection> {
    const log = new NamespacedEventLog(session.log, `${name}.`);
    await log.ensureTopics(ALL_TOPICS.map((topic) => ({ name: topic, partitions: DEFAULT_TOPIC_PARTITIONS })));
    const database = `${session.database}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    const store = await MongoLineageStore.connect({ uri: session.servers.mongodbUri, database });
    const fresh = new FreshProjection(session, name, log, store, database);
    try {
      for (let replica = 1; replica <= replicas; replica++) {
        fresh.projectors.push(
          await session.startService('projector', {
            label: replicas === 1 ? `projector (${name})` : `projector (${name}, replica ${replica} of ${replicas})`,
            env: {
              ...projectorEnv(session, 'mongodb'),
              PROV_TOPIC_PREFIX: `${session.topicPrefix}${name}.`,
              MONGODB_DATABASE: database,
            },
          }),
        );
      }
      for (const projector of fresh.projectors) await untilFirstGenerationActive(session, projector);
      await fresh.foldLineage();
      return fresh;
    } catch (error) {
      await fresh.close();
      throw error;
    }
  }

  /**
   * Publishes prediction batches 0 to `batches` (and, with `resends`, the
   * batches sent again) at once, timed from the first publish until the
   * active generation has folded the whole log.
   */
  async project(
    phase: string,
    batches: number,
    options: {
      resends?: Resends;
      keep?: (event: EventOf<'prediction.batch.recorded'>, resent: boolean) => void;
      /** How long the saved offsets may stand still before it fails (a round can be long). */
      stallSeconds?: number;
    } = {},
  ): Promise<{ seconds: number; publishSeconds: number; messages: number }> {
    return this.session.time(phase, async () => {
      const started = performance.now();
      const messages = await publishPredictionBatches(
        this.log,
        this.session.workload,
        0,
        batches,
        options.keep,
        options.resends,
      );
      const publishSeconds = (performance.now() - started) / 1000;
      await untilCaughtUp(this, this.projectors, options.stallSeconds);
      return { seconds: (performance.now() - started) / 1000, publishSeconds, messages };
    });
  }

  /** Row 4's rebuild, asked of the first projector (the others join it), timed until the new generation is active. */
  rebuild(phase: string): Promise<{ generation: string; seconds: number }> {
    return timeRebuild(this.session, phase, this.projectors);
  }

  async activeGeneration(): Promise<string> {
    const active = await this.store.activeGeneration();
    if (!active) throw new Error(`no active generation in ${this.database}`);
    return active;
  }

  /** Per projector, the events it folded into `generation` and how many of them were prediction batches, from its /metrics. */
  async foldedInto(generation: string): Promise<Array<{ events: number; batches: number }>> {
    return Promise.all(
      this.projectors.map(async (projector) => {
        const response = await fetch(`${projector.url}/metrics`);
        if (!response.ok) throw new Error(`GET ${projector.url}/metrics: ${response.status}`);
        const applied = (await response.text())
          .split('\n')
          .filter(
            (line) => line.startsWith('projector_events_applied_total{') && line.includes(`generation="${generation}"`),
          );
        const sum = (lines: string[]) => lines.reduce((total, line) => total + Number(line.split(' ').pop()), 0);
        return {
          events: sum(applied),
          batches: sum(applied.filter((line) => line.includes('type="prediction.batch.recorded"'))),
        };
      }),
    );
  }

  /**
   * Stops the projectors (their peak memory goes to the memory row) and
   * drops the database; a store that no longer answers is given up on after
   * a while, so that the failure that closes it is reported, not hidden by a hang.
   */
  async close(): Promise<void> {
    const { session } = this;
    for (const projector of this.projectors) await session.stopService(projector);
    const drop = (async () => {
      await this.store.close();
      await session.mongo.db(this.database).dropDatabase();
    })();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      drop,
      new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`no answer within ${CLOSE_SECONDS} s`)), CLOSE_SECONDS * 1000);
      }),
    ])
      .catch((error: Error) => session.say(`could not drop database ${this.database}: ${error.message}`))
      .finally(() => clearTimeout(timer));
  }

  private async foldLineage(): Promise<void> {
    const { session } = this;
    const stages = session.workload.lineageStages();
    this.lineageEvents = stages.reduce((sum, stage) => sum + stage.length, 0);
    this.lineageSeconds = await session.time(`${this.name}: publish and fold the lineage`, async () => {
      const started = performance.now();
      for (const stage of stages) {
        await publishMessages(this.log, stage);
        await untilCaughtUp(this, this.projectors);
      }
      return (performance.now() - started) / 1000;
    });
  }
}
