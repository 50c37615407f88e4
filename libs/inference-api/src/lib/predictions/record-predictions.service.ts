import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@prov/auth';
import type { PredictionRecordV2 } from '@prov/contracts';
import { ServiceUnavailableError } from '@prov/http-service';
import { ProvenancePublisher } from '@prov/publishing';
import { KNOWN_PREDICTIONS, type KnownPredictions } from './known-predictions.port';
import { requestedContent, type BatchFacts, type RecordedPredictionContent } from './prediction-content';
import { sortResends } from './prediction-resends';
import { IdempotencyKeyReusedError, PredictionsContradictRecordsError } from './predictions.errors';
import { RecentPredictions } from './recent-predictions';
import { SUBJECT_SEALING, type SubjectSealing } from './subject-sealing';

/** A validated request: predictions with their ids, of one deployment and one loaded artifact. */
export interface PredictionBatchRequest extends BatchFacts {
  batchId: string;
  predictions: PredictionRecordV2[];
}

export type RecordPredictionsOutcome =
  /** The fresh predictions were published in `batchId`; `duplicates` were recorded before with the same content. */
  | { published: true; batchId: string; accepted: number; duplicates: string[] }
  /** Every prediction was recorded before with the same content: nothing was published. */
  | { published: false; batchId: string | null; duplicates: string[] };

/**
 * Records a batch of predictions once: predictions recorded before with the
 * same content are skipped, any recorded with other content refuses the
 * whole request, and the rest are published as one batch. Requests of this
 * process that share prediction ids are taken one at a time, so two copies of
 * one request sent together publish once.
 */
@Injectable()
export class RecordPredictionsService {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly publisher: ProvenancePublisher,
    private readonly recent: RecentPredictions,
    @Inject(KNOWN_PREDICTIONS) private readonly known: KnownPredictions | null,
    @Inject(SUBJECT_SEALING) private readonly sealing: SubjectSealing | null,
  ) {}

  async record(request: PredictionBatchRequest, principal: Principal): Promise<RecordPredictionsOutcome> {
    const ids = request.predictions.map((p) => p.predictionId);
    return this.oneAtATime(ids, async () => {
      const requested = request.predictions.map((p) => ({
        predictionId: p.predictionId,
        content: requestedContent(request, p),
      }));
      const { fresh, duplicates, conflicts } = sortResends(requested, await this.earlierRecords(ids));
      if (conflicts.length > 0) throw new PredictionsContradictRecordsError(conflicts);
      const duplicateIds = duplicates.map((d) => d.predictionId);
      if (fresh.length === 0) {
        const batches = new Set(duplicates.map((d) => d.earlierBatchId));
        return { published: false, batchId: batches.size === 1 ? [...batches][0] : null, duplicates: duplicateIds };
      }
      // Only a request under a used Idempotency-Key meets its own batch id. A batch is on the log whole, so a
      // retry finds all of its predictions there: finding only some means the key was used for other ones.
      if (duplicates.some((d) => d.earlierBatchId === request.batchId))
        throw new IdempotencyKeyReusedError(request.batchId, fresh.length);

      const predictions = fresh.map((i) => request.predictions[i]);
      const recorded =
        this.sealing && predictions.some((p) => p.dataSubject !== undefined)
          ? await this.sealing.seal(predictions)
          : predictions;
      const { batchId, deploymentId, modelVersionId, artifactDigest } = request;
      await this.publisher.publish(
        {
          type: 'prediction.batch.recorded',
          payload: { batchId, deploymentId, modelVersionId, artifactDigest, predictions: recorded } as never,
        },
        principal,
      );
      for (const i of fresh) this.recent.remember(ids[i], { ...requested[i].content, batchId });
      return { published: true, batchId, accepted: fresh.length, duplicates: duplicateIds };
    });
  }

  /** The records of those ids recorded before: the recent ones, then those the known predictions hold. */
  private async earlierRecords(ids: readonly string[]): Promise<Map<string, RecordedPredictionContent>> {
    const earlier = new Map<string, RecordedPredictionContent>();
    const unknown: string[] = [];
    for (const id of ids) {
      const recent = this.recent.get(id);
      if (recent) earlier.set(id, recent);
      else unknown.push(id);
    }
    if (unknown.length === 0 || !this.known) return earlier;
    let found: Map<string, RecordedPredictionContent>;
    try {
      found = await this.known.lookup(unknown);
    } catch (error) {
      throw new ServiceUnavailableError(
        `the earlier records of ${unknown.length} prediction id(s) could not be read; nothing was accepted: ${(error as Error).message}`,
      );
    }
    for (const id of unknown) {
      const record = found.get(id);
      if (!record) continue;
      earlier.set(id, record);
      this.recent.remember(id, record);
    }
    return earlier;
  }

  /** Runs `work` once no other request of this process is recording any of these ids. */
  private async oneAtATime<T>(ids: readonly string[], work: () => Promise<T>): Promise<T> {
    for (;;) {
      const pending = new Set<Promise<void>>();
      for (const id of ids) {
        const turn = this.inFlight.get(id);
        if (turn) pending.add(turn);
      }
      if (pending.size === 0) break;
      await Promise.all(pending);
    }
    let done!: () => void;
    const turn = new Promise<void>((resolve) => (done = resolve));
    for (const id of ids) this.inFlight.set(id, turn);
    try {
      return await work();
    } finally {
      for (const id of ids) if (this.inFlight.get(id) === turn) this.inFlight.delete(id);
      done();
    }
  }
}
