import type { ProvenanceEvent } from '@prov/contracts';
import { affectedDerived } from './affected-derived';
import { batchFactWrites } from './batch-fact-writes';
import { unknownDeploymentAlerts } from './deployment-alerts';
import { derivedWrites } from './derived-writes';
import { recordPredictions } from './record-predictions';
import { isSettled, settle, type Settlement } from './settlement';
import type { ViewReader, ViewWrite, ViewWriter } from './view-store.port';

/**
 * The phases for one batch, as the projector runs them before it commits
 * the batch's offsets: the facts (the events' own, then each prediction id
 * recorded once), then the derived documents that read them. Safe to run
 * again on the same events after a crash at any point.
 */
export async function projectEvents(events: readonly ProvenanceEvent[], views: ViewReader & ViewWriter): Promise<void> {
  await applyUntilSettled(await foldFacts(events, views), views);
}

/**
 * Applies the derived writes of a round, then settles them, applying what
 * settling computes again, until settled. `beforeApply` sees each set of
 * writes before it is applied (to tell which alerts it newly raises).
 */
export async function applyUntilSettled(
  round: { writes: ViewWrite[]; settlement: Settlement },
  views: ViewReader & ViewWriter,
  beforeApply: (writes: ViewWrite[]) => Promise<void> = async () => undefined,
): Promise<void> {
  let { writes, settlement } = round;
  for (;;) {
    await beforeApply(writes);
    await views.apply(writes);
    if (isSettled(settlement)) return;
    ({ writes, settlement } = await settle(settlement, views));
  }
}

/**
 * Stores the facts of the events and gives back the derived writes they
 * call for (not yet applied, so that the caller can tell which alerts they
 * newly raise), with the settlement of those that other replicas may write
 * too: once the writes are applied, `settle` until settled.
 */
export async function foldFacts(
  events: readonly ProvenanceEvent[],
  views: ViewReader & ViewWriter,
): Promise<{ writes: ViewWrite[]; settlement: Settlement }> {
  await views.apply(batchFactWrites(events));
  const recorded = await recordPredictions(events, views);
  const affected = await affectedDerived(events, views);
  for (const id of recorded.modelVersionIds) affected.predictionAlertModelVersionIds.add(id);
  const [derived, deployments] = await Promise.all([
    derivedWrites(affected, views),
    unknownDeploymentAlerts(events, views),
  ]);
  return {
    writes: [...recorded.alertWrites, ...derived.writes, ...deployments.writes],
    settlement: {
      alertsOf: derived.alertsOf,
      conflictsOf: recorded.conflictsOf,
      deploymentsOf: deployments.deploymentsOf,
      claimTokens: recorded.claimTokens,
    },
  };
}
