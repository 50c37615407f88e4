import type { EventOf, JsonValue, SealedValue } from '@prov/contracts';
import { compareInstants, compareText } from './ordering';
import { HourCount, hourOf, predictionHours } from './prediction-hours';
import type { ViewDocument, ViewWrite } from './view-store.port';

/**
 * A prediction's own facts, the one document per prediction id. What its
 * batch shares (deployment, model version, artifact, trusted time, event
 * digest) is stored once, on `prediction_batches`, keyed by `eventId`.
 * Only `_id` is indexed: a trace is a point read, and every question by
 * model version or deployment goes through the batches.
 */
export interface PredictionDocument extends ViewDocument, PredictionRecordFields {}

/** A prediction's own fields, as its document and its claims hold them. */
export interface PredictionRecordFields {
  /** The `prediction.batch.recorded` event that recorded it: the `_id` of its batch document. */
  eventId: string;
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

/**
 * What `predictions` holds for an id that more than one event recorded: its
 * records are then `prediction_claims`, and the least event id among them
 * is the prediction. Every writer writes this same document, so writers
 * racing on it cannot disagree.
 */
export interface ContestedPredictionDocument extends ViewDocument {
  contested: true;
}

/** The facts of one `prediction.batch.recorded` event, keyed by its event id. */
export interface PredictionBatchDocument extends ViewDocument {
  batchId: string;
  payloadDigest: string;
  recordedAt: string;
  deploymentId: string;
  modelVersionId: string;
  artifactDigest: string;
  /** Distinct prediction ids the event recorded; those another event recorded first are in `prediction_losses`. */
  count: number;
  firstAt: string;
  lastAt: string;
  /** The batch's predictions by the hour of their own time: impact timelines sum these, never scan predictions. */
  hours: HourCount[];
}

/**
 * The prediction ids of a batch, in the order it listed them (once each),
 * apart from its batch document so that traces read a small one: impact
 * pages list a slice's predictions through these.
 */
export interface PredictionBatchIdsDocument extends ViewDocument {
  predictionIds: string[];
}

/** What a batch shares with each of its predictions. */
export type BatchFacts = Pick<
  PredictionBatchDocument,
  'batchId' | 'payloadDigest' | 'recordedAt' | 'deploymentId' | 'modelVersionId' | 'artifactDigest'
>;

/** One event's record of a contested prediction id, with what its batch shares (claims are few, so self-contained). */
export interface PredictionClaimDocument extends ViewDocument, PredictionRecordFields, BatchFacts {
  predictionId: string;
}

/** A claim as a claims document of one prediction id keeps it, under its event id. */
export type ClaimFacts = Omit<PredictionRecordFields, 'eventId'> & BatchFacts;

/**
 * Every claim of one contested prediction id in one document, keyed by
 * event id: how generations folded from 2026-12-07 (20:10) to 2026-12-08
 * kept claims, still read. It is no longer written: adding a claim to it
 * is an update of a shared document, and a store without atomic updates
 * (FerretDB 1.x reads, changes and rewrites the document) lost one of two
 * claims written at once by two replicas. Claims are now one document each,
 * inserted under an id of their own, which no other writer can touch.
 */
export interface PredictionClaimsDocument extends ViewDocument {
  claims: Record<string, ClaimFacts>;
}

/**
 * A prediction id that an event recorded after another event (of a lesser
 * event id) had: the losing event's batch counts it no more. Counts of
 * predictions are the batches' counts less these.
 */
export interface PredictionLossDocument extends ViewDocument, Omit<BatchFacts, 'batchId' | 'payloadDigest'> {
  /** The event that lost the id, whose batch document counts it. */
  eventId: string;
  predictionId: string;
  at: string;
  hour: string;
}

export const isContested = (doc: ViewDocument | undefined): doc is ContestedPredictionDocument =>
  doc !== undefined && (doc as ContestedPredictionDocument).contested === true;

export const claimId = (predictionId: string, eventId: string): string => `${predictionId}|${eventId}`;
export const lossId = (eventId: string, predictionId: string): string => `${eventId}|${predictionId}`;

export function batchFactsOf(event: EventOf<'prediction.batch.recorded'>): BatchFacts {
  const { batchId, deploymentId, modelVersionId, artifactDigest } = event.payload;
  return {
    batchId,
    payloadDigest: event.integrity.payloadDigest,
    recordedAt: event.recordedAt,
    deploymentId,
    modelVersionId,
    artifactDigest,
  };
}

/** The batch document of a `prediction.batch.recorded` event (the same document however often it is delivered). */
export function predictionBatchRecordedWrites(event: EventOf<'prediction.batch.recorded'>): ViewWrite[] {
  const records = predictionRecords(event);
  const times = records.map((record) => record.at).sort(compareInstants);
  const batch: PredictionBatchDocument = {
    _id: event.eventId,
    ...batchFactsOf(event),
    count: records.length,
    firstAt: times[0],
    lastAt: times[times.length - 1],
    hours: predictionHours(times),
  };
  const ids: PredictionBatchIdsDocument = { _id: event.eventId, predictionIds: records.map((record) => record._id) };
  return [
    { op: 'replace', view: 'prediction_batches', id: event.eventId, doc: batch },
    { op: 'replace', view: 'prediction_batch_ids', id: event.eventId, doc: ids },
  ];
}

/** The event's prediction documents, once per id: within one batch the first record of an id wins. */
export function predictionRecords(event: EventOf<'prediction.batch.recorded'>): PredictionDocument[] {
  const records = new Map<string, PredictionDocument>();
  for (const record of event.payload.predictions) {
    const { predictionId, at, inputDigest, outputDigest, output, featureSnapshot } = record;
    const { dataSubject, sealedOutput, sealedFeatureSnapshot } = record;
    if (records.has(predictionId)) continue;
    records.set(predictionId, {
      _id: predictionId,
      eventId: event.eventId,
      at,
      inputDigest,
      ...(outputDigest === undefined ? {} : { outputDigest }),
      ...(output === undefined ? {} : { output }),
      ...(featureSnapshot === undefined ? {} : { featureSnapshot }),
      ...(dataSubject === undefined ? {} : { dataSubject }),
      ...(sealedOutput === undefined ? {} : { sealedOutput }),
      ...(sealedFeatureSnapshot === undefined ? {} : { sealedFeatureSnapshot }),
    });
  }
  return [...records.values()];
}

export function claimOf(record: PredictionDocument, batch: BatchFacts): PredictionClaimDocument {
  const { batchId, payloadDigest, recordedAt, deploymentId, modelVersionId, artifactDigest } = batch;
  return {
    ...record,
    batchId,
    payloadDigest,
    recordedAt,
    deploymentId,
    modelVersionId,
    artifactDigest,
    _id: claimId(record._id, record.eventId),
    predictionId: record._id,
  };
}

/** The write that stores a claim: its own document, whose content depends only on its event. */
export function claimWrite(claim: PredictionClaimDocument): ViewWrite {
  return { op: 'replace', view: 'prediction_claims', id: claim._id, doc: claim };
}

/** The claims a claims document of one prediction id holds, least event id first. */
export function claimsOf(doc: PredictionClaimsDocument): PredictionClaimDocument[] {
  return Object.entries(doc.claims ?? {})
    .map(([eventId, facts]): PredictionClaimDocument => ({
      ...facts,
      _id: claimId(doc._id, eventId),
      predictionId: doc._id,
      eventId,
    }))
    .sort((a, b) => compareText(a.eventId, b.eventId));
}

export function lossOf(claim: PredictionClaimDocument): PredictionLossDocument {
  return {
    _id: lossId(claim.eventId, claim.predictionId),
    eventId: claim.eventId,
    predictionId: claim.predictionId,
    recordedAt: claim.recordedAt,
    deploymentId: claim.deploymentId,
    modelVersionId: claim.modelVersionId,
    artifactDigest: claim.artifactDigest,
    at: claim.at,
    hour: hourOf(claim.at),
  };
}
