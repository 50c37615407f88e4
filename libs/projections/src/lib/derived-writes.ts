import type { AffectedDerived } from './affected-derived';
import {
  LINEAGE_ALERT_TYPES,
  PREDICTION_ALERT_TYPES,
  alertWrites,
  servedBatchesMayRaise,
  type AlertDocument,
  lineageAlerts,
  predictionAlerts,
} from './lineage-alerts';
import { readModelClosures } from './model-closure.reader';
import { assembleModelLineage } from './model-lineage.assembly';
import type { ModelLineageDocument } from './model-lineage.document';
import { compareText } from './ordering';
import { predictionAlertVersions } from './settlement';
import { predictionFactsSnapshot } from './prediction-facts.snapshot';
import { sliceImpactWrites } from './slice-impact.assembly';
import type { ViewReader, ViewWrite } from './view-store.port';

/**
 * Phase 3: recomputes the affected derived documents from the stored facts
 * alone and returns one `replace` or `delete` per document. Nothing here
 * depends on the order events arrived in, only on what has arrived.
 */
export async function derivedWrites(
  affected: AffectedDerived,
  views: ViewReader,
): Promise<{ writes: ViewWrite[]; alertsOf: Map<string, string> }> {
  const [lineage, impact] = await Promise.all([
    modelLineageWrites(affected.modelVersionIds, views),
    sliceImpactWrites(affected.sliceIds, views),
  ]);
  // Prediction alerts read the lineage (is it complete?): those whose lineage changed are recomputed with the new one.
  const served = new Set([
    ...affected.predictionAlertModelVersionIds,
    ...affected.modelVersionIds,
    ...(await servedBatchesMayRaise(affected.servedBatches, views, lineage.lineages)),
  ]);
  // One read of their batches and losses: the alerts and their version are computed from the same facts.
  const facts = await predictionFactsSnapshot(views, served);
  const alertsOf = await predictionAlertVersions(facts, [...served], lineage.lineages);
  const alerts = await predictionAlerts(served, facts, lineage.lineages);
  return {
    writes: [...lineage.writes, ...(await alertWrites(alerts, served, PREDICTION_ALERT_TYPES, views)), ...impact],
    alertsOf,
  };
}

/** `model_lineage` of each model version (null where none), and the writes of it and the alerts it raises. */
async function modelLineageWrites(
  modelVersionIds: ReadonlySet<string>,
  views: ViewReader,
): Promise<{ writes: ViewWrite[]; lineages: Map<string, ModelLineageDocument | null> }> {
  const lineages = new Map<string, ModelLineageDocument | null>();
  if (modelVersionIds.size === 0) return { writes: [], lineages };
  const facts = await readModelClosures(modelVersionIds, views);
  const writes: ViewWrite[] = [];
  const alerts: AlertDocument[] = [];
  for (const modelVersionId of [...modelVersionIds].sort(compareText)) {
    const lineage = assembleModelLineage(modelVersionId, facts);
    lineages.set(modelVersionId, lineage);
    if (lineage) {
      writes.push({ op: 'replace', view: 'model_lineage', id: modelVersionId, doc: lineage });
      alerts.push(...lineageAlerts(lineage));
    } else {
      writes.push({ op: 'delete', view: 'model_lineage', id: modelVersionId });
    }
  }
  return {
    writes: [...writes, ...(await alertWrites(alerts, modelVersionIds, LINEAGE_ALERT_TYPES, views))],
    lineages,
  };
}
