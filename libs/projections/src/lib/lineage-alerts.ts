import { FLAG_SEVERITIES, type FlagSeverity } from '@prov/contracts';
import { missingDataLineage } from './lineage-completeness';
import { keyedFacts } from './lineage-graph';
import { readNodes } from './lineage-graph.reader';
import type { ModelLineageDocument } from './model-lineage.document';
import type { ModelVersionNode } from './model-version.projection';
import { compareText } from './ordering';
import type { ServedBatch } from './affected-derived';
import { CONFLICTING_PREDICTION } from './prediction-conflicts';
import {
  Losses,
  ServedWhere,
  firstServedBatch,
  lostFrom,
  modelVersionsServing,
  servedTotals,
} from './served-predictions';
import type { ViewDocument, ViewReader, ViewWrite } from './view-store.port';

/** Alerts raised by what was served (they read prediction batches). */
export const PREDICTION_ALERT_TYPES = [
  'prediction.unknown-model-version',
  'prediction.incomplete-lineage',
  'prediction.revoked-model-version',
  'prediction.artifact-mismatch',
] as const;
/** Alerts raised by a model's upstream closure (they read its lineage). */
export const LINEAGE_ALERT_TYPES = ['model.no-data-lineage', 'model.trained-on-flagged-slice'] as const;

/** Raised per prediction id whose records contradict each other (never cleared: records are never withdrawn). */
export const RECORD_ALERT_TYPES = [CONFLICTING_PREDICTION] as const;

/**
 * Raised per deployment id that predictions named before it was created
 * (see deployment-alerts): kept once it is, as they were recorded so.
 */
export const DEPLOYMENT_ALERT_TYPES = ['prediction.unknown-deployment'] as const;

export type AlertType =
  | (typeof PREDICTION_ALERT_TYPES)[number]
  | (typeof LINEAGE_ALERT_TYPES)[number]
  | (typeof RECORD_ALERT_TYPES)[number]
  | (typeof DEPLOYMENT_ALERT_TYPES)[number];

/**
 * `alerts`: conditions that hold now, recomputed from the facts, with an id
 * made of what they are about (`${type}|${subject}`) so that recomputing
 * one is idempotent. `firstRecordedAt` is the trusted time of the first
 * fact that made it hold.
 */
export interface AlertDocument extends ViewDocument {
  type: AlertType;
  subject: string;
  modelVersionId: string;
  severity: FlagSeverity;
  details: Record<string, unknown>;
  firstRecordedAt: string;
}

/** The alerts a model version's assembled lineage raises. */
export function lineageAlerts(lineage: ModelLineageDocument): AlertDocument[] {
  const modelVersionId = lineage._id;
  const registeredAt = lineage.modelVersion.event.recordedAt;
  const alerts: AlertDocument[] = [];
  const missing = missingDataLineage(lineage);
  if (missing.length > 0) {
    alerts.push(alert('model.no-data-lineage', modelVersionId, modelVersionId, 'medium', { missing }, registeredAt));
  }
  const flags = lineage.slices.flatMap((slice) => slice.flags);
  if (flags.length > 0) {
    const firstFlaggedAt = flags.map((flag) => flag.event.recordedAt).sort(compareText)[0];
    const severity = FLAG_SEVERITIES[Math.max(...flags.map((flag) => FLAG_SEVERITIES.indexOf(flag.severity)))];
    alerts.push(
      alert(
        'model.trained-on-flagged-slice',
        modelVersionId,
        modelVersionId,
        severity,
        { sliceIds: lineage.flaggedSliceIds },
        later(registeredAt, firstFlaggedAt),
      ),
    );
  }
  return alerts;
}

/**
 * The alerts the prediction batches served as `modelVersionIds` raise, from
 * grouped sums over `prediction_batches` less `prediction_losses` (never a
 * scan of predictions), so each prediction id counts once. Time
 * conditions compare trusted `recordedAt` values, all in `toISOString()` form.
 * `lineages` are the model lineages just assembled in this pass (null: none);
 * the others are read from `model_lineage`.
 */
export async function predictionAlerts(
  modelVersionIds: ReadonlySet<string>,
  views: ViewReader,
  lineages: ReadonlyMap<string, ModelLineageDocument | null> = new Map(),
): Promise<AlertDocument[]> {
  // Every prediction alert counts served predictions: a model version that served no batch raises none.
  const serving = await modelVersionsServing(views, modelVersionIds);
  const [models, stored] = await Promise.all([
    readNodes<ModelVersionNode>(views, serving),
    views.get(
      'model_lineage',
      [...serving].filter((id) => !lineages.has(id)),
    ),
  ]);
  const perModel = await Promise.all(
    [...serving].map((modelVersionId) =>
      alertsOfServedModel(
        modelVersionId,
        models.get(modelVersionId),
        lineages.has(modelVersionId)
          ? lineages.get(modelVersionId)
          : (stored.get(modelVersionId) as ModelLineageDocument | undefined),
        views,
      ),
    ),
  );
  return perModel.flat();
}

/**
 * The model versions among `servedBatches` whose prediction alerts the
 * batches may change: those where a batch meets the condition of one of
 * them (recorded before the registration, or of a model not registered;
 * served while the lineage is incomplete; recorded at or after a
 * revocation; of another artifact than the registered one). The others'
 * alerts read only batches that meet a condition, so they stay as they are
 * and need no recomputing: the common case of a healthy model costs two
 * point reads per round, not a grouped sum per alert.
 */
export async function servedBatchesMayRaise(
  servedBatches: ReadonlyMap<string, readonly ServedBatch[]>,
  views: ViewReader,
  lineages: ReadonlyMap<string, ModelLineageDocument | null> = new Map(),
): Promise<Set<string>> {
  const ids = [...servedBatches.keys()];
  if (ids.length === 0) return new Set();
  const [models, stored] = await Promise.all([
    readNodes<ModelVersionNode>(views, ids),
    views.get(
      'model_lineage',
      ids.filter((id) => !lineages.has(id)),
    ),
  ]);
  return new Set(
    ids.filter((id) => {
      const lineage = lineages.has(id) ? lineages.get(id) : (stored.get(id) as ModelLineageDocument | undefined);
      return mayRaise(servedBatches.get(id) ?? [], models.get(id), lineage);
    }),
  );
}

function mayRaise(
  batches: readonly ServedBatch[],
  model: ModelVersionNode | undefined,
  lineage: ModelLineageDocument | null | undefined,
): boolean {
  const registration = model?.definition;
  if (!registration) return true;
  const registeredAt = registration.event.recordedAt;
  if (batches.some((batch) => compareText(batch.recordedAt, registeredAt) < 0)) return true;
  const standard = lineage?.completeness.standard;
  if (standard && !standard.complete) return true;
  const revocations = keyedFacts(model?.revocations);
  if (revocations.length > 0) {
    const revokedAt = revocations[0].event.recordedAt;
    if (batches.some((batch) => compareText(batch.recordedAt, revokedAt) >= 0)) return true;
  }
  return batches.some((batch) => batch.artifactDigest !== registration.artifact.digest);
}

async function alertsOfServedModel(
  modelVersionId: string,
  model: ModelVersionNode | undefined,
  lineage: ModelLineageDocument | null | undefined,
  views: ViewReader,
): Promise<AlertDocument[]> {
  const alerts: AlertDocument[] = [];
  const registration = model?.definition;
  const registeredAt = registration?.event.recordedAt ?? null;
  const early = await servedSummary(views, {
    modelVersionId,
    ...(registeredAt === null ? {} : { recordedAt: { lt: registeredAt } }),
  });
  if (early) {
    alerts.push(
      alert(
        'prediction.unknown-model-version',
        modelVersionId,
        modelVersionId,
        'high',
        { registered: registeredAt !== null, registeredAt, predictions: early.predictions, batches: early.batches },
        early.firstRecordedAt,
      ),
    );
  }
  // Served by a registered model whose lineage cannot be followed to its data: such predictions have no full trace.
  const standard = lineage?.completeness.standard;
  if (registration && standard && !standard.complete) {
    const served = await servedSummary(views, { modelVersionId });
    if (served) {
      alerts.push(
        alert(
          'prediction.incomplete-lineage',
          modelVersionId,
          modelVersionId,
          'high',
          { missing: standard.missing, predictions: served.predictions, batches: served.batches },
          served.firstRecordedAt,
        ),
      );
    }
  }
  const revocations = keyedFacts(model?.revocations);
  if (revocations.length > 0) {
    const revokedAt = revocations[0].event.recordedAt;
    const afterRevocation = await servedSummary(views, { modelVersionId, recordedAt: { gte: revokedAt } });
    if (afterRevocation) {
      alerts.push(
        alert(
          'prediction.revoked-model-version',
          modelVersionId,
          modelVersionId,
          'critical',
          { revokedAt, predictions: afterRevocation.predictions, batches: afterRevocation.batches },
          afterRevocation.firstRecordedAt,
        ),
      );
    }
  }
  if (registration) {
    const registeredDigest = registration.artifact.digest;
    const byDigest = await servedTotals(views, { modelVersionId }, 'artifactDigest');
    for (const { key, predictions: total, batches: count } of byDigest) {
      if (typeof key !== 'string' || key === registeredDigest) continue;
      const where = { modelVersionId, artifactDigest: key };
      alerts.push(
        alert(
          'prediction.artifact-mismatch',
          `${modelVersionId}|${key}`,
          modelVersionId,
          'critical',
          { registeredDigest, servedDigest: key, predictions: total, batches: count },
          await firstRecordedAt(views, where),
        ),
      );
    }
  }
  return alerts;
}

async function servedSummary(
  views: ViewReader,
  where: ServedWhere,
): Promise<{ predictions: number; batches: number; firstRecordedAt: string } | null> {
  const losses = await lostFrom(views, where);
  const groups = await servedTotals(views, where, 'modelVersionId', losses);
  const predictions = groups.reduce((sum, group) => sum + group.predictions, 0);
  if (predictions === 0) return null;
  const batches = groups.reduce((sum, group) => sum + group.batches, 0);
  return { predictions, batches, firstRecordedAt: await firstRecordedAt(views, where, losses) };
}

async function firstRecordedAt(views: ViewReader, where: ServedWhere, losses?: Losses): Promise<string> {
  const first = await firstServedBatch(views, where, 'recordedAt', 1, losses);
  // Only asked where a total counted a prediction, so some batch still counts one.
  if (!first) throw new Error(`no batch counts the predictions of ${JSON.stringify(where)}`);
  return first.recordedAt;
}

/**
 * Writes the alerts that hold now for these model versions and deletes the
 * stored ones of the same types that no longer do.
 */
export async function alertWrites(
  current: readonly AlertDocument[],
  modelVersionIds: ReadonlySet<string>,
  types: readonly AlertType[],
  views: ViewReader,
): Promise<ViewWrite[]> {
  if (modelVersionIds.size === 0) return [];
  const stored = await views.find('alerts', {
    where: { modelVersionId: { in: [...modelVersionIds] }, type: { in: [...types] } },
  });
  const holding = new Set(current.map((doc) => doc._id));
  return [
    ...current.map((doc): ViewWrite => ({ op: 'replace', view: 'alerts', id: doc._id, doc })),
    ...stored
      .filter((doc) => !holding.has(doc._id))
      .map((doc): ViewWrite => ({ op: 'delete', view: 'alerts', id: doc._id })),
  ];
}

function alert(
  type: AlertType,
  subject: string,
  modelVersionId: string,
  severity: FlagSeverity,
  details: Record<string, unknown>,
  firstRecordedAt: string,
): AlertDocument {
  return { _id: `${type}|${subject}`, type, subject, modelVersionId, severity, details, firstRecordedAt };
}

function later(a: string, b: string): string {
  return compareText(a, b) >= 0 ? a : b;
}
