import type { EventOf, ProvenanceEvent } from '@prov/contracts';
import { claimsByPrediction, readClaims } from './recorded-predictions.reader';
import { conflictAlertWrites, insertClaimTokens, lossesOf } from './settlement';
import {
  BatchFacts,
  ContestedPredictionDocument,
  PredictionBatchDocument,
  PredictionClaimDocument,
  PredictionDocument,
  batchFactsOf,
  claimOf,
  claimWrite,
  isContested,
  predictionRecords,
} from './prediction.projection';
import { compareText } from './ordering';
import type { ViewDocument, ViewReader, ViewWrite, ViewWriter } from './view-store.port';

export interface RecordedPredictions {
  /** Model versions whose batches lost prediction ids in this round: their counts went down. */
  modelVersionIds: Set<string>;
  /** The `conflicting-prediction` alerts that hold for the ids contested in this round. */
  alertWrites: ViewWrite[];
  /** Per contested id, how many claims its alert was computed from (see Settlement). */
  conflictsOf: Map<string, string>;
  /** Ids contested first here, whose claim token is inserted once their alert is written (see Settlement). */
  claimTokens: string[];
}

const NOTHING_CONTESTED = (): RecordedPredictions => ({
  modelVersionIds: new Set(),
  alertWrites: [],
  conflictsOf: new Map(),
  claimTokens: [],
});

/**
 * Records the predictions of a round of `prediction.batch.recorded` events,
 * after their batch documents are stored. Each prediction id is counted
 * once, by the event of the least event id that recorded it (UUIDv7: the
 * first one made), whatever order replicas, partitions and rebuilds fold
 * them in:
 *
 * 1. Each id's record is inserted if the id is new; the store's unique
 *    `_id` decides which of two racing writers inserts it.
 * 2. An id that a second event records becomes contested: every record of
 *    it is kept as a claim (inserted, so writers never overwrite each
 *    other's facts) before its prediction document becomes the contested
 *    marker, the same document whoever writes it.
 * 3. Every claim but the least is a loss of its batch, inserted by every
 *    writer that reads the claims; the last writer to read them has seen
 *    every claim, so the losses end up complete, and a loss once true stays
 *    true. Counts are the batches' counts less their losses.
 * 4. Reading every claim of an id is a query by `predictionId`, which a
 *    store that pushes down only `_id` (FerretDB) answers by scanning the
 *    claims. A writer that finds the id uncontested before it (a record it
 *    displaces, or records of its own round only) knows every claim unless
 *    another writer contests the id at the same time: it writes the losses
 *    and the alert of the claims it knows, and then inserts the id's claim
 *    token (`{_id: predictionId}` in `prediction_claims`, the same document
 *    whoever writes it). Every other writer inserts the token before it
 *    reads the claims. The one writer whose insert succeeds without having
 *    read them wrote before every insert that failed, and each failed one
 *    reads every claim afterwards and writes last (see \`settle\`).
 *
 * A round cut short anywhere is done again by its redelivery with the same
 * result: every step is an insert of a document whose content depends only
 * on the events.
 */
export async function recordPredictions(
  events: readonly ProvenanceEvent[],
  views: ViewReader & ViewWriter,
): Promise<RecordedPredictions> {
  const batches = new Map<string, BatchFacts>();
  const recordsById = new Map<string, PredictionDocument[]>();
  for (const event of events) {
    // One event delivered twice in a round is one record of each of its ids.
    if (event.type !== 'prediction.batch.recorded' || batches.has(event.eventId)) continue;
    batches.set(event.eventId, batchFactsOf(event as EventOf<'prediction.batch.recorded'>));
    for (const record of predictionRecords(event as EventOf<'prediction.batch.recorded'>)) {
      const records = recordsById.get(record._id);
      if (records) records.push(record);
      else recordsById.set(record._id, [record]);
    }
  }
  if (recordsById.size === 0) return NOTHING_CONTESTED();

  const claims = new Map<string, PredictionClaimDocument>();
  /** Every claim this round knows of (`claims` holds those not yet stored). */
  const known: PredictionClaimDocument[] = [];
  const addClaim = (record: PredictionDocument, facts: BatchFacts | undefined) => {
    if (!facts) throw new Error(`no batch document for event ${record.eventId} of prediction ${record._id}`);
    const claim = claimOf(record, facts);
    claims.set(claim._id, claim);
    known.push(claim);
  };
  /** Contested ids that were contested before this round (their claims are read from the store). */
  const contestedBefore = new Set<string>();
  const contested = new Set<string>();
  const documents: ViewDocument[] = [];
  for (const [id, records] of recordsById) {
    if (records.length > 1) {
      for (const record of records) addClaim(record, batches.get(record.eventId));
      contested.add(id);
      documents.push(contestedDocument(id));
    } else {
      documents.push(records[0]);
    }
  }
  // Claims before the contested marker: a marker is never stored without the records it stands for.
  await storeClaims(views, claims);

  const present = await views.insertNew('predictions', documents);
  if (present.size > 0) {
    const stored = await views.get('predictions', [...present]);
    const displaced: PredictionDocument[] = [];
    for (const id of present) {
      const doc = stored.get(id);
      if (!doc) throw new Error(`prediction ${id} was reported stored but cannot be read`);
      const [own, ...more] = recordsById.get(id) as PredictionDocument[];
      if (isContested(doc)) {
        if (more.length === 0) addClaim(own, batches.get(own.eventId));
        contested.add(id);
        contestedBefore.add(id);
        continue;
      }
      const record = doc as PredictionDocument;
      // This event's own record, stored by an earlier delivery of it.
      if (more.length === 0 && record.eventId === own.eventId) continue;
      if (more.length === 0) addClaim(own, batches.get(own.eventId));
      displaced.push(record);
      contested.add(id);
    }
    const elsewhere = [...new Set(displaced.map((record) => record.eventId).filter((id) => !batches.has(id)))];
    const batchDocs = elsewhere.length > 0 ? await views.get('prediction_batches', elsewhere) : new Map();
    for (const record of displaced) {
      addClaim(record, batches.get(record.eventId) ?? (batchDocs.get(record.eventId) as PredictionBatchDocument));
    }
    await storeClaims(views, claims);
    if (displaced.length > 0) {
      await views.apply(
        displaced.map((record) => ({
          op: 'replace',
          view: 'predictions',
          id: record._id,
          doc: contestedDocument(record._id),
        })),
      );
    }
  }
  if (contested.size === 0) return NOTHING_CONTESTED();

  // Ids contested before this round: their token first, then every claim read from the store.
  const readIds = [...contestedBefore].sort(compareText);
  if (readIds.length > 0) await insertClaimTokens(views, readIds);
  const claimsById = await readClaims(views, readIds);
  const claimTokens = [...contested].filter((id) => !contestedBefore.has(id)).sort(compareText);
  const firstHere = new Set(claimTokens);
  for (const [id, all] of claimsByPrediction(known.filter((claim) => firstHere.has(claim.predictionId)))) {
    claimsById.set(id, all);
  }
  const { modelVersionIds, losses } = lossesOf(claimsById);
  if (losses.length > 0) await views.apply(losses);
  const conflictsOf = new Map(readIds.map((id) => [id, String(claimsById.get(id)?.length ?? 0)]));
  return { modelVersionIds, alertWrites: conflictAlertWrites(claimsById), conflictsOf, claimTokens };
}

function contestedDocument(id: string): ContestedPredictionDocument {
  return { _id: id, contested: true };
}

async function storeClaims(views: ViewWriter, claims: Map<string, PredictionClaimDocument>): Promise<void> {
  if (claims.size === 0) return;
  await views.apply([...claims.values()].map(claimWrite));
  claims.clear();
}
