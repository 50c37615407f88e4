import type { EventOf, JsonValue, SealedValue } from '@prov/contracts';
import { compareInstants } from './ordering';
import { HourCount, predictionHours } from './prediction-hours';
import type { ViewDocument, ViewWrite } from './view-store.port';

export interface PredictionDocument extends ViewDocument {
  batchId: string;
  /** The event that recorded it: the least one wins when a prediction id is sent again. */
  eventId: string;
  /** That event's payload digest: what a trace's prediction link is verified against. */
  payloadDigest: string;
  recordedAt: string;
  deploymentId: string;
  modelVersionId: string;
  artifactDigest: string;
  at: string;
  inputDigest: string;
  outputDigest?: string;
  output?: JsonValue;
  featureSnapshot?: string;
  /** Whose key seals the sealed fields (v2); they open only while that key is not destroyed. */
  dataSubject?: string;
  sealedOutput?: SealedValue;
  sealedFeatureSnapshot?: SealedValue;
}

/** Per batch totals: alerts and impact counts are sums over these, never scans of predictions. */
export interface PredictionBatchDocument extends ViewDocument {
  eventId: string;
  payloadDigest: string;
  recordedAt: string;
  deploymentId: string;
  modelVersionId: string;
  artifactDigest: string;
  count: number;
  firstAt: string;
  lastAt: string;
  /** The batch's predictions by the hour of their own time: impact timelines sum these, never scan predictions. */
  hours: HourCount[];
}

export function predictionBatchRecordedWrites(event: EventOf<'prediction.batch.recorded'>): ViewWrite[] {
  const { batchId, deploymentId, modelVersionId, artifactDigest, predictions } = event.payload;
  const common = {
    batchId,
    eventId: event.eventId,
    payloadDigest: event.integrity.payloadDigest,
    recordedAt: event.recordedAt,
    deploymentId,
    modelVersionId,
    artifactDigest,
  };
  const writes = new Map<string, ViewWrite>();
  for (const record of predictions) {
    const { predictionId, at, inputDigest, outputDigest, output, featureSnapshot } = record;
    const { dataSubject, sealedOutput, sealedFeatureSnapshot } = record;
    // Within one batch the first record of an id wins: two writes of one document in one bulk must not race.
    if (writes.has(predictionId)) continue;
    const doc: PredictionDocument = {
      _id: predictionId,
      ...common,
      at,
      inputDigest,
      ...(outputDigest === undefined ? {} : { outputDigest }),
      ...(output === undefined ? {} : { output }),
      ...(featureSnapshot === undefined ? {} : { featureSnapshot }),
      ...(dataSubject === undefined ? {} : { dataSubject }),
      ...(sealedOutput === undefined ? {} : { sealedOutput }),
      ...(sealedFeatureSnapshot === undefined ? {} : { sealedFeatureSnapshot }),
    };
    writes.set(predictionId, { op: 'keep-least', view: 'predictions', id: predictionId, doc, by: 'eventId' });
  }
  const times = predictions.map((p) => p.at).sort(compareInstants);
  const batch: PredictionBatchDocument = {
    _id: batchId,
    eventId: event.eventId,
    payloadDigest: event.integrity.payloadDigest,
    recordedAt: event.recordedAt,
    deploymentId,
    modelVersionId,
    artifactDigest,
    count: predictions.length,
    firstAt: times[0],
    lastAt: times[times.length - 1],
    hours: predictionHours(times),
  };
  return [{ op: 'replace', view: 'prediction_batches', id: batchId, doc: batch }, ...writes.values()];
}
