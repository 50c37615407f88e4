import type { EventOf } from '@prov/contracts';
import { encodeValue, VIEW_INDEXES } from '@prov/lineage-store';
import { predictionRecords, PredictionDocument } from '@prov/projections';
import { PREDICTIONS_PER_BATCH } from '../bench-options';
import type { BenchSession } from '../bench-session';
import { verificationRate } from '../measure/verification-rate';
import type { ServiceProcess } from '../processes/service-process';
import { row } from '../report/bench-report';
import { publishMessages, publishPredictionBatches } from '../workload/workload-publisher';
import { inMemoryBytesPerPrediction, storeBytesPerPrediction } from './prediction-bytes';
import { projectorEnv, untilCaughtUp, untilFirstGenerationActive } from './projector-progress';
import { measureRebuild } from './rebuild-rate.bench';

/** Bulk commands of the raw insert: the lineage store adapter's own chunk (BULK_CHUNK). */
const RAW_CHUNK = 1000;

/**
 * Row 2, which also loads the data of row 1. The projector
 * (PROV_STORE=mongodb) starts on the empty topics; the lineage is published
 * stage by stage, each folded before the next (see ProvenanceWorkload).
 * Then at each scale the added predictions are published at once and the
 * projector is timed from the first publish until it has folded the whole
 * log. Next to it: the raw driver's bulk insert of the same prediction
 * documents into the same server. And a projector on the in-memory store
 * building the whole log from scratch, next to how fast one process can
 * merely parse and verify those events; at the rebuild scale it then
 * replays the log into a new generation (row 4).
 */
export class ProjectionBench {
  private projector?: ServiceProcess;
  private batches = 0;
  private lineageEvents = 0;
  private projectionRate?: { scale: number; predictionsPerSecond: number };
  /** The projection row's figure at each scale so far, and how many predictions it timed. */
  private readonly rates = new Map<number, { predictionsPerSecond: number; added: number }>();

  constructor(private readonly session: BenchSession) {}

  /** Row 4 on the MongoDB-wire store: the live projector replays the whole log into a new generation. */
  async rebuildLive(scale: number): Promise<void> {
    const rate = this.projectionRate;
    if (!rate || rate.scale !== scale)
      throw new Error(`rebuild at ${scale}: the log was last projected at another scale`);
    await measureRebuild(this.session, this.liveProjector, {
      scale,
      events: this.lineageEvents + this.batches,
      store: 'MongoDB-wire store',
      raw: rate.predictionsPerSecond,
      rawNotes: `the same projector's rate folding the predictions up to ${scale.toLocaleString('en-US')} as they arrived (row 2)`,
    });
  }

  /** The projection row's rate at `scale` (the live projector folding the predictions added at that scale). */
  projectionRateAt(scale: number): { predictionsPerSecond: number; added: number } {
    const rate = this.rates.get(scale);
    if (!rate) throw new Error(`the log has not been projected at ${scale}`);
    return rate;
  }

  /** The live projector on the MongoDB-wire store (the gateway's views). */
  get liveProjector(): ServiceProcess {
    if (!this.projector) throw new Error('the projector has not been started');
    return this.projector;
  }

  async growTo(scale: number, options: { rebuild: boolean }): Promise<void> {
    const { session } = this;
    if (!this.projector) await this.loadLineage();
    const projector = this.liveProjector;
    const target = scale / PREDICTIONS_PER_BATCH;
    const from = this.batches;
    const sample: Array<EventOf<'prediction.batch.recorded'>> = [];
    const sampleSize = session.options.rawSample / PREDICTIONS_PER_BATCH;
    const keep = (event: EventOf<'prediction.batch.recorded'>) => {
      if (sample.length < sampleSize) sample.push(event);
    };
    const label = `${scale.toLocaleString('en-US')} predictions`;
    const added = (target - from) * PREDICTIONS_PER_BATCH;

    let publishSeconds = 0;
    const seconds = await session.time(`publish and project ${added.toLocaleString('en-US')} predictions`, async () => {
      const started = performance.now();
      await publishPredictionBatches(session.log, session.workload, from, target, keep);
      publishSeconds = (performance.now() - started) / 1000;
      this.batches = target;
      await this.untilLiveCaughtUp(projector);
      return (performance.now() - started) / 1000;
    });
    const predictionsPerSecond = added / seconds;
    this.projectionRate = { scale, predictionsPerSecond };
    this.rates.set(scale, { predictionsPerSecond, added });

    const raw = await session.time(
      `raw bulk insert of ${sample.length * PREDICTIONS_PER_BATCH} prediction documents`,
      () => this.rawBulkInsert(sample, scale),
    );
    session.rows.push(
      row({
        row: `projection @${label}`,
        figure: predictionsPerSecond,
        unit: 'predictions/s',
        raw,
        notes: `${target - from} batches of ${PREDICTIONS_PER_BATCH} published at once (in ${publishSeconds.toFixed(0)} s) to the running projector (default settings), timed until it folded the whole log; raw: the driver's unordered bulk insert of ${sample.length * PREDICTIONS_PER_BATCH} of these prediction documents, ${RAW_CHUNK} per command, into a fresh collection with the predictions view's indexes`,
        goal: { text: '>= 0.8 of the raw driver bulk-write rate', met: predictionsPerSecond / raw >= 0.8 },
      }),
    );

    const stored = await storeBytesPerPrediction(session, scale);
    session.rows.push(
      row({
        row: `bytes per prediction, MongoDB-wire store @${label}`,
        figure: stored.withIndexes,
        unit: 'bytes',
        notes: `the server's collStats of the active generation's prediction views (predictions, their batches, batch ids, claims and losses), documents and indexes, over ${scale.toLocaleString('en-US')} predictions; documents alone: ${stored.documents.toFixed(0)} bytes`,
      }),
    );
    const held = await session.time(`measure the in-memory store's bytes per prediction`, () =>
      inMemoryBytesPerPrediction(sample),
    );
    session.rows.push(
      row({
        row: `bytes per prediction, in-memory store @${label}`,
        figure: held,
        unit: 'bytes',
        notes: `heap held (after garbage collection) by the in-memory views of ${sample.length * PREDICTIONS_PER_BATCH} of these predictions, folded in this process`,
        goal: { text: '<= 600 bytes per prediction', met: held <= 600 },
      }),
    );

    const events = this.lineageEvents + this.batches;
    const memory = await session.time(`project ${label} (memory store)`, () =>
      this.memoryStoreBuild(options.rebuild ? { scale, events } : undefined),
    );
    session.rows.push(
      row({
        row: `projection, in-memory store @${label}`,
        figure: scale / memory.seconds,
        unit: 'predictions/s',
        raw: verificationRate(session.workload, sample),
        notes: `a projector with PROV_STORE=memory building the whole log (${events} events) from scratch, timed from its answering to its generation active; raw: JSON.parse and verifyEnvelope (digest and signature) of the same messages in one process, the least work any projector does per event`,
      }),
    );
  }

  /** Starts the MongoDB projector on the empty log, then publishes the lineage stage by stage. */
  private async loadLineage(): Promise<void> {
    const { session } = this;
    const projector = await session.startService('projector', {
      env: projectorEnv(session, 'mongodb'),
    });
    this.projector = projector;
    await untilFirstGenerationActive(session, projector);
    const stages = session.workload.lineageStages();
    this.lineageEvents = stages.reduce((sum, stage) => sum + stage.length, 0);
    const seconds = await session.time(`publish and fold the lineage (${this.lineageEvents} events)`, async () => {
      const started = performance.now();
      for (const stage of stages) {
        await publishMessages(session.log, stage);
        await this.untilLiveCaughtUp(projector);
      }
      return (performance.now() - started) / 1000;
    });
    session.rows.push(
      row({
        row: `lineage fold (${session.options.models} model versions)`,
        figure: this.lineageEvents / seconds,
        unit: 'events/s',
        notes: `${this.lineageEvents} lineage events in 3 stages (data, pipelines and runs; model versions; ${session.workload.deployments} deployments), each published then folded by the MongoDB projector, in ${seconds.toFixed(0)} s`,
      }),
    );
  }

  /** Until the live projector's active generation has folded the whole log. */
  private untilLiveCaughtUp(projector: ServiceProcess): Promise<void> {
    return untilCaughtUp(this.session, [projector]);
  }

  /** A projector on the in-memory store builds the whole log; at the rebuild scale it then replays it (row 4). */
  private async memoryStoreBuild(rebuild?: { scale: number; events: number }): Promise<{ seconds: number }> {
    const { session } = this;
    const projector = await session.startService('projector', {
      label: `projector (memory store, ${(this.batches * PREDICTIONS_PER_BATCH).toLocaleString('en-US')})`,
      env: projectorEnv(session, 'memory'),
      // A million predictions held as objects need more than the default old space.
      nodeOptions: ['--max-old-space-size=6144'],
    });
    try {
      const started = performance.now();
      await untilFirstGenerationActive(session, projector);
      const seconds = (performance.now() - started) / 1000;
      if (rebuild) {
        await measureRebuild(session, projector, {
          ...rebuild,
          store: 'in-memory store',
          raw: rebuild.scale / seconds,
          rawNotes: "the same process's first build of the same log (row 2)",
        });
      }
      return { seconds };
    } finally {
      await session.stopService(projector);
    }
  }

  /**
   * The projector's prediction documents of the sampled batches (its own
   * fact writes, encoded as its MongoDB adapter stores them), inserted with
   * the driver into a fresh collection with the same indexes.
   */
  private async rawBulkInsert(sample: Array<EventOf<'prediction.batch.recorded'>>, scale: number): Promise<number> {
    const documents = sample.flatMap((event) =>
      predictionRecords(event).map((record) => ({ ...(encodeValue(record) as PredictionDocument), _id: record._id })),
    );
    const collection = this.session.mongo
      .db(this.session.database)
      .collection<PredictionDocument>(`raw_predictions_${scale}`);
    // One index per command, as the adapter does (FerretDB v1.24 is picky about several at once).
    for (const key of VIEW_INDEXES.predictions) await collection.createIndex(key);
    const started = performance.now();
    for (let start = 0; start < documents.length; start += RAW_CHUNK) {
      await collection.bulkWrite(
        documents.slice(start, start + RAW_CHUNK).map((document) => ({ insertOne: { document } })),
        { ordered: false },
      );
    }
    const rate = documents.length / ((performance.now() - started) / 1000);
    await collection.drop();
    return rate;
  }
}
