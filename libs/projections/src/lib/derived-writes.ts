import type { AffectedDerived } from './affected-derived';
import {
  LINEAGE_ALERT_TYPES,
  PREDICTION_ALERT_TYPES,
  alertWrites,
  type AlertDocument,
  lineageAlerts,
  predictionAlerts,
} from './lineage-alerts';
import { readModelClosures } from './model-closure.reader';
import { assembleModelLineage } from './model-lineage.assembly';
import { compareText } from './ordering';
import { sliceImpactWrites } from './slice-impact.assembly';
import type { ViewReader, ViewWrite } from './view-store.port';

/**
 * Phase 3: recomputes the affected derived documents from the stored facts
 * alone and returns one `replace` or `delete` per document. Nothing here
 * depends on the order events arrived in, only on what has arrived.
 */
export async function derivedWrites(affected: AffectedDerived, views: ViewReader): Promise<ViewWrite[]> {
  const [lineageWrites, served, impact] = await Promise.all([
    modelLineageWrites(affected.modelVersionIds, views),
    predictionAlerts(affected.predictionAlertModelVersionIds, views).then((alerts) =>
      alertWrites(alerts, affected.predictionAlertModelVersionIds, PREDICTION_ALERT_TYPES, views),
    ),
    sliceImpactWrites(affected.sliceIds, views),
  ]);
  return [...lineageWrites, ...served, ...impact];
}

/** `model_lineage` of each model version, and the alerts its lineage raises. */
async function modelLineageWrites(modelVersionIds: ReadonlySet<string>, views: ViewReader): Promise<ViewWrite[]> {
  if (modelVersionIds.size === 0) return [];
  const facts = await readModelClosures(modelVersionIds, views);
  const writes: ViewWrite[] = [];
  const alerts: AlertDocument[] = [];
  for (const modelVersionId of [...modelVersionIds].sort(compareText)) {
    const lineage = assembleModelLineage(modelVersionId, facts);
    if (lineage) {
      writes.push({ op: 'replace', view: 'model_lineage', id: modelVersionId, doc: lineage });
      alerts.push(...lineageAlerts(lineage));
    } else {
      writes.push({ op: 'delete', view: 'model_lineage', id: modelVersionId });
    }
  }
  return [...writes, ...(await alertWrites(alerts, modelVersionIds, LINEAGE_ALERT_TYPES, views))];
}
