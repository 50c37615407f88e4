import type { RecordedPredictionContent } from './prediction-content';

/**
 * Where the inference service learns what was recorded under prediction ids
 * it has not published recently itself (after a restart, beyond its recent
 * record, or from another replica), so a re-send is answered from the record
 * that stands. An adapter reads the recorded predictions (the views' store);
 * without one, the service knows only its recent record.
 */
export interface KnownPredictions {
  /** The recorded content of those of `ids` that were recorded; an id left out was not. */
  lookup(ids: readonly string[]): Promise<Map<string, RecordedPredictionContent>>;
}

/** Nest token of the service's KnownPredictions, or null when it has none. */
export const KNOWN_PREDICTIONS = Symbol('KnownPredictions');
