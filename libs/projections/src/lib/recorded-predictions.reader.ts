import { compareText } from './ordering';
import {
  BatchFacts,
  PredictionBatchDocument,
  PredictionClaimDocument,
  PredictionClaimsDocument,
  PredictionDocument,
  claimsOf,
  isContested,
} from './prediction.projection';
import type { ViewReader } from './view-store.port';

/** A prediction as recorded, with what its batch shares: what traces, bundles and producers are shown. */
export type RecordedPrediction = PredictionDocument & BatchFacts;

/** Claims documents of generations folded before they were kept one per id are read for this many ids per query. */
const LEGACY_CLAIM_READS = 500;

/**
 * Every claim of each contested prediction id, least event id first (ids
 * without claims are left out): one point read of its claims document per
 * id. A generation folded before claims were kept one document per
 * prediction id holds one document per claim instead, found by its
 * `predictionId` (only ids that have no claims document are looked for so).
 */
export async function readClaims(
  views: ViewReader,
  predictionIds: readonly string[],
): Promise<Map<string, PredictionClaimDocument[]>> {
  const found = new Map<string, PredictionClaimDocument[]>();
  const docs = await views.get('prediction_claims', predictionIds);
  const legacy: string[] = [];
  for (const id of new Set(predictionIds)) {
    const doc = docs.get(id);
    if (doc && 'claims' in doc) found.set(id, claimsOf(doc as PredictionClaimsDocument));
    else legacy.push(id);
  }
  for (let start = 0; start < legacy.length; start += LEGACY_CLAIM_READS) {
    const chunk = legacy.slice(start, start + LEGACY_CLAIM_READS);
    const claims = (await views.find('prediction_claims', {
      where: { predictionId: { in: chunk } },
    })) as PredictionClaimDocument[];
    for (const claim of claims) {
      const list = found.get(claim.predictionId);
      if (list) list.push(claim);
      else found.set(claim.predictionId, [claim]);
    }
  }
  for (const claims of found.values()) claims.sort((a, b) => compareText(a.eventId, b.eventId));
  return found;
}

/**
 * The recorded predictions of these ids (unknown ids are left out): the
 * record of the least event id among those that recorded each, with its
 * batch's facts.
 */
export async function readRecordedPredictions(
  views: ViewReader,
  predictionIds: readonly string[],
): Promise<Map<string, RecordedPrediction>> {
  const docs = await views.get('predictions', predictionIds);
  const recorded = new Map<string, RecordedPrediction>();
  const contested: string[] = [];
  const plain: PredictionDocument[] = [];
  for (const doc of docs.values()) {
    if (isContested(doc)) contested.push(doc._id);
    // A generation folded before batches were kept apart holds the batch's facts on each prediction.
    else if (typeof doc['modelVersionId'] === 'string') recorded.set(doc._id, doc as RecordedPrediction);
    else plain.push(doc as PredictionDocument);
  }
  const [batches, claims] = await Promise.all([
    views.get('prediction_batches', [...new Set(plain.map((doc) => doc.eventId))]),
    contested.length > 0 ? readClaims(views, contested) : new Map<string, PredictionClaimDocument[]>(),
  ]);
  for (const doc of plain) {
    const batch = batches.get(doc.eventId) as PredictionBatchDocument | undefined;
    if (batch) recorded.set(doc._id, { ...doc, ...batchFacts(batch) });
  }
  for (const [predictionId, [standing]] of claims) {
    const { _id, predictionId: _predictionId, ...record } = standing;
    recorded.set(predictionId, { ...record, _id: predictionId });
  }
  return recorded;
}

function batchFacts(batch: PredictionBatchDocument): BatchFacts {
  const { batchId, payloadDigest, recordedAt, deploymentId, modelVersionId, artifactDigest } = batch;
  return { batchId, payloadDigest, recordedAt, deploymentId, modelVersionId, artifactDigest };
}
