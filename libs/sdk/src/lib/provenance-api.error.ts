/** One problem with a request, as the API reports it. */
export interface ApiProblem {
  path: string;
  problem: string;
}

/** A detail of a 409 to recording predictions: a prediction recorded before with other content. */
export interface PredictionConflict extends ApiProblem {
  predictionId: string;
  fields: Array<'deploymentId' | 'modelVersionId' | 'artifactDigest' | 'inputDigest' | 'outputDigest' | 'output'>;
  /** The batch of the record that stands. */
  earlierBatchId: string;
}

/** An error answer of the platform's API, or a failure to reach it. */
export class ProvenanceApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the request did not get an answer (network error, timeout). */
    readonly status: number,
    readonly code: string,
    readonly details: ApiProblem[],
    /** Whether the same request may succeed later (network errors, 5xx and 429). */
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = 'ProvenanceApiError';
  }
}
