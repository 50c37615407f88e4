import { randomUUID } from 'node:crypto';
import type { Prediction, PredictionsAccepted, RecordPredictions } from './requests';

export interface PredictionRecorderOptions {
  deployment: string;
  modelVersionId: string;
  /** Digest of the artifact this process loaded. */
  artifactDigest: string;
  /** Sends a batch once this many predictions are waiting (at most 10,000). Default 1,000. */
  maxBatchSize?: number;
  /** Sends whatever is waiting after this long. Default 1,000 ms. */
  flushIntervalMs?: number;
  /** Told about a batch that could not be sent after every retry; its predictions are lost to the platform. */
  onError?: (error: Error, batch: RecordPredictions) => void;
  send: (batch: RecordPredictions, idempotencyKey: string) => Promise<PredictionsAccepted>;
}

/**
 * Collects the predictions of one serving process and sends them in batches,
 * by size or after a delay, one batch at a time and in order. Each batch has
 * its own Idempotency-Key across its retries.
 */
export class PredictionRecorder {
  private waiting: Prediction[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly maxBatchSize: number;

  constructor(private readonly options: PredictionRecorderOptions) {
    this.maxBatchSize = Math.min(options.maxBatchSize ?? 1000, 10_000);
  }

  record(prediction: Prediction): void {
    if (this.closed) throw new Error('the prediction recorder is closed');
    this.waiting.push(prediction);
    if (this.waiting.length >= this.maxBatchSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs ?? 1000);
  }

  /** Sends everything waiting; resolves once every batch so far was answered. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiting.length > 0) {
      const predictions = this.waiting.splice(0, this.maxBatchSize);
      const batch = {
        deployment: this.options.deployment,
        modelVersionId: this.options.modelVersionId,
        artifactDigest: this.options.artifactDigest,
        predictions,
      };
      const key = randomUUID();
      this.sending = this.sending.then(async () => {
        try {
          await this.options.send(batch, key);
        } catch (error) {
          (this.options.onError ?? ((e) => console.error(`prediction batch lost: ${e.message}`)))(
            error as Error,
            batch,
          );
        }
      });
    }
    return this.sending;
  }

  /** Sends what is waiting and refuses further predictions. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }
}
