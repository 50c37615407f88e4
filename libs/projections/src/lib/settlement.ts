import { settleUnknownDeployments } from './deployment-alerts';
import { CONFLICTING_PREDICTION, CONFLICT_SEVERITY, predictionConflict } from './prediction-conflicts';
import { lossOf } from './prediction.projection';
import { PREDICTION_ALERT_TYPES, alertWrites, predictionAlerts, type AlertDocument } from './lineage-alerts';
import type { ModelLineageDocument } from './model-lineage.document';
import { predictionFactsSnapshot } from './prediction-facts.snapshot';
import { readClaims } from './recorded-predictions.reader';
import type { PredictionClaimDocument } from './prediction.projection';
import type { ViewReader, ViewWrite, ViewWriter } from './view-store.port';

/**
 * The derived documents that more than one projector replica may write at
 * once (prediction alerts of a model version, the conflict alert of a
 * prediction id, the unknown-deployment alert of a deployment), each with
 * the version of the facts it was computed from.
 *
 * Their facts only grow (batches, losses and claims are inserted, never
 * changed), so a count of them is a version that moves whenever one arrives.
 * A writer reads the version, computes, writes, and reads the version again:
 * when it moved, a fact arrived meanwhile and the document may have been
 * written from fewer facts, by this writer or a slower one, so it is
 * computed and written again. The last write is then always computed from
 * every fact, whatever order replicas write in (see `settle`).
 */
export interface Settlement {
  /** Model version id to the version its prediction alerts were computed from. */
  alertsOf: Map<string, string>;
  /** Prediction id to the number of claims its conflict alert was computed from. */
  conflictsOf: Map<string, string>;
  /** Deployment id to the creation and first earlier batch its unknown-deployment alert was computed from. */
  deploymentsOf: Map<string, string>;
  /**
   * Prediction ids a writer contested first, computing their alert from the
   * claims it knew: their claim tokens are inserted once that alert is
   * written (see recordPredictions). Where another writer's token is there
   * already, every claim is read, and the losses and the alert written again.
   */
  claimTokens: string[];
}

export const settled = (): Settlement => ({
  alertsOf: new Map(),
  conflictsOf: new Map(),
  deploymentsOf: new Map(),
  claimTokens: [],
});

export const isSettled = (settlement: Settlement): boolean =>
  settlement.alertsOf.size === 0 &&
  settlement.conflictsOf.size === 0 &&
  settlement.deploymentsOf.size === 0 &&
  settlement.claimTokens.length === 0;

/** Not the version of any facts: the prediction alerts of a model version given it are computed again. */
const FACTS_MOVED = 'facts moved';

/**
 * The version of the facts the prediction alerts of each model version
 * read: its batches and losses (counted), its node and its lineage's
 * completeness. `lineages` are lineages about to be written (null: none),
 * which the version is taken from instead of the stored ones.
 */
export async function predictionAlertVersions(
  views: ViewReader,
  modelVersionIds: readonly string[],
  lineages: ReadonlyMap<string, ModelLineageDocument | null> = new Map(),
): Promise<Map<string, string>> {
  if (modelVersionIds.length === 0) return new Map();
  // Two grouped counts for all of them: batches are a thousandth of the predictions, and losses few.
  const where = { modelVersionId: { in: [...modelVersionIds] } };
  const [nodes, stored, batches, losses] = await Promise.all([
    views.get('nodes', modelVersionIds),
    views.get(
      'model_lineage',
      modelVersionIds.filter((id) => !lineages.has(id)),
    ),
    views.sum('prediction_batches', where, 'count', 'modelVersionId'),
    views.sum('prediction_losses', where, 'count', 'modelVersionId'),
  ]);
  const byModel = (groups: typeof batches) => new Map(groups.map((group) => [group.key, group.count]));
  const [batchCounts, lossCounts] = [byModel(batches), byModel(losses)];
  return new Map(
    modelVersionIds.map((id) => {
      const lineage = lineages.has(id) ? lineages.get(id) : (stored.get(id) as ModelLineageDocument | undefined);
      const counts = [batchCounts.get(id) ?? 0, lossCounts.get(id) ?? 0];
      return [id, JSON.stringify([counts, nodes.get(id) ?? null, lineage?.completeness ?? null])];
    }),
  );
}

/** The conflict alert of each contested prediction id (none where its records agree), from all its claims. */
export function conflictAlertWrites(claimsById: ReadonlyMap<string, readonly PredictionClaimDocument[]>): ViewWrite[] {
  const writes: ViewWrite[] = [];
  for (const [predictionId, claims] of claimsById) {
    const conflict = predictionConflict(claims);
    if (!conflict) continue;
    const alert: AlertDocument = {
      _id: `${CONFLICTING_PREDICTION}|${predictionId}`,
      type: CONFLICTING_PREDICTION,
      subject: predictionId,
      modelVersionId: conflict.modelVersionId,
      severity: CONFLICT_SEVERITY,
      details: { ...conflict.details },
      firstRecordedAt: conflict.firstRecordedAt,
    };
    writes.push({ op: 'replace', view: 'alerts', id: alert._id, doc: alert });
  }
  return writes;
}

/**
 * Reads the versions of a settlement's documents again, after its writes
 * were applied: those whose facts moved are computed again (the writes to
 * apply next, and their new settlement); settled when none moved.
 */
export async function settle(
  settlement: Settlement,
  views: ViewReader & ViewWriter,
): Promise<{ writes: ViewWrite[]; settlement: Settlement }> {
  const next = settled();
  if (isSettled(settlement)) return { writes: [], settlement: next };
  const writes: ViewWrite[] = [];
  // Ids contested first by this writer, whose alert is now written: another writer's token means a claim it may not know.
  const taken = [...(await insertClaimTokens(views, settlement.claimTokens))];
  const contestedElsewhere = await readClaims(views, taken);
  const late = lossesOf(contestedElsewhere);
  writes.push(...late.losses, ...conflictAlertWrites(contestedElsewhere));
  for (const [id, all] of contestedElsewhere) next.conflictsOf.set(id, String(all.length));
  // A prediction alert settlement must not read the versions before the losses just found are written: once they are.
  for (const id of late.modelVersionIds) next.alertsOf.set(id, FACTS_MOVED);

  // The alerts of the model versions whose facts moved are computed from the facts their new version counts.
  const alertsOf = new Map([...settlement.alertsOf].filter(([id]) => !late.modelVersionIds.has(id)));
  const facts = await predictionFactsSnapshot(views, alertsOf.keys());
  // A prediction's claims are the facts of its alert, and their number its version: one read gives both.
  const [alertVersions, claims, deployments] = await Promise.all([
    predictionAlertVersions(facts, [...alertsOf.keys()]),
    readClaims(views, [...settlement.conflictsOf.keys()]),
    settleUnknownDeployments(settlement.deploymentsOf, views),
  ]);
  const models = [...alertVersions].filter(([id, version]) => alertsOf.get(id) !== version);
  const moved = new Map([...claims].filter(([id, all]) => settlement.conflictsOf.get(id) !== String(all.length)));
  if (models.length > 0) {
    const ids = new Set(models.map(([id]) => id));
    writes.push(...(await alertWrites(await predictionAlerts(ids, facts), ids, PREDICTION_ALERT_TYPES, views)));
    for (const [id, version] of models) next.alertsOf.set(id, version);
  }
  writes.push(...conflictAlertWrites(moved));
  for (const [id, all] of moved) next.conflictsOf.set(id, String(all.length));
  writes.push(...deployments.writes);
  next.deploymentsOf = deployments.deploymentsOf;
  return { writes, settlement: next };
}

/** Every claim of each id but the least is a loss of its batch: the loss documents, and the model versions they count against. */
export function lossesOf(claimsById: ReadonlyMap<string, readonly PredictionClaimDocument[]>): {
  modelVersionIds: Set<string>;
  losses: ViewWrite[];
} {
  const modelVersionIds = new Set<string>();
  const losses: ViewWrite[] = [];
  for (const all of claimsById.values()) {
    const [, ...losing] = all;
    for (const claim of losing) {
      const loss = lossOf(claim);
      losses.push({ op: 'replace', view: 'prediction_losses', id: loss._id, doc: loss });
      modelVersionIds.add(claim.modelVersionId);
    }
  }
  return { modelVersionIds, losses };
}

/**
 * Inserts the claim tokens of these prediction ids (`{_id: predictionId}` in
 * `prediction_claims`, the same document whoever writes it); resolves with
 * the ids whose token another writer had inserted already.
 */
export async function insertClaimTokens(views: ViewWriter, predictionIds: readonly string[]): Promise<Set<string>> {
  if (predictionIds.length === 0) return new Set();
  return views.insertNew(
    'prediction_claims',
    predictionIds.map((_id) => ({ _id })),
  );
}
