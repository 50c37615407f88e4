import { LRUCache } from 'lru-cache';
import type { RecordedPredictionContent } from './prediction-content';

/** How many prediction ids the service remembers by default (PROV_RECENT_PREDICTIONS). */
export const DEFAULT_RECENT_PREDICTIONS = 200_000;

/**
 * The predictions this service published lately, least recently used
 * forgotten first: most re-sends are retries of a recent batch, answered
 * without asking anyone. A capacity of 0 remembers nothing.
 */
export class RecentPredictions {
  private readonly recorded: LRUCache<string, RecordedPredictionContent> | null;

  constructor(capacity: number) {
    this.recorded = capacity > 0 ? new LRUCache({ max: capacity }) : null;
  }

  get(predictionId: string): RecordedPredictionContent | undefined {
    return this.recorded?.get(predictionId);
  }

  /** Call once the log has acknowledged the record (or it was found recorded). */
  remember(predictionId: string, content: RecordedPredictionContent): void {
    this.recorded?.set(predictionId, content);
  }
}
