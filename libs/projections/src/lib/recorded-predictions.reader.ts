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

/** Claims are looked for by `predictionId` for this many ids per query. */
const CLAIM_READS = 500;

/**
 * Every claim of each contested prediction id, least event id first (ids
 * without claims are left out). Claims are one document each, found by
 * their `predictionId`: one query per few hundred ids, since a store that
 * pushes no `in` down (FerretDB on SQLite) scans the claims once per query.
 * A generation folded while claims were kept one document per prediction
 * id holds that document under the id itself; it is read too, and a claim
 * found both ways is counted once.
 */
export async function readClaims(
  views: ViewReader,
  predictionIds: readonly string[],
): Promise<Map<string, PredictionClaimDocument[]>> {
  const ids = [...new Set(predictionIds)];
  const claims: PredictionClaimDocument[] = [];
  for (const doc of (await views.get('prediction_claims', ids)).values()) {
    if ('claims' in doc) claims.push(...claimsOf(doc as PredictionClaimsDocument));
  }
  for (let start = 0; start < ids.length; start += CLAIM_READS) {
    const chunk = ids.slice(start, start + CLAIM_READS);
    claims.push(
      ...((await views.find('prediction_claims', {
        where: { predictionId: { in: chunk } },
      })) as PredictionClaimDocument[]),
    );
  }
  return claimsByPrediction(claims);
}

/** Claims by prediction id, each event's claim once, least event id first. */
export function claimsByPrediction(claims: Iterable<PredictionClaimDocument>): Map<string, PredictionClaimDocument[]> {
  const byEvent = new Map<string, Map<string, PredictionClaimDocument>>();
  for (const claim of claims) {
    const ofId = byEvent.get(claim.predictionId) ?? new Map<string, PredictionClaimDocument>();
    ofId.set(claim.eventId, claim);
    byEvent.set(claim.predictionId, ofId);
  }
  return new Map(
    [...byEvent].map(([predictionId, ofId]) => [
      predictionId,
      [...ofId.values()].sort((a, b) => compareText(a.eventId, b.eventId)),
    ]),
  );
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
