import { SLICE_ROLES, type SliceRole } from '@prov/contracts';
import {
  firstServedBatch,
  lostFrom,
  servedTotals,
  type PredictionBatchDocument,
  type PredictionBatchIdsDocument,
  type PredictionLossDocument,
  type SliceImpactDocument,
  type SliceFlag,
  type ViewReader,
} from '@prov/projections';
import { InvalidCursorError, InvalidPageSizeError } from './lineage-query.errors';
import { codeUnitOrder } from './ordering';

export interface PredictionTotals {
  total: number;
  byModelVersion: Array<{ id: string; count: number; firstAt: string; lastAt: string }>;
}

export interface DataImpact {
  modelVersions: SliceImpactDocument['modelVersions'];
  deployments: SliceImpactDocument['deployments'];
  predictions: PredictionTotals;
}

export interface SliceImpact extends DataImpact {
  sliceId: string;
  flagged: boolean;
  flags: SliceFlag[];
}

export interface DatasetVersionImpact extends DataImpact {
  datasetVersionId: string;
  sliceIds: string[];
}

export interface PredictionPage {
  predictionIds: string[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export const MAX_PAGE_SIZE = 1000;

/** What a slice touched (API `GET /v1/slices/{id}/impact`); undefined for a slice no view knows. */
export async function impactOfSlice(views: ViewReader, sliceId: string): Promise<SliceImpact | undefined> {
  const impact = (await views.get('slice_impact', [sliceId])).get(sliceId) as SliceImpactDocument | undefined;
  if (!impact) return undefined;
  const { modelVersions, deployments, flagged, flags } = impact;
  const predictions = await predictionTotals(
    views,
    modelVersions.map((model) => model.id),
  );
  return { sliceId, flagged, flags, modelVersions, deployments, predictions };
}

/** What any slice of a dataset version touched, merged; undefined when no known slice reads from it. */
export async function impactOfDatasetVersion(
  views: ViewReader,
  datasetVersionId: string,
): Promise<DatasetVersionImpact | undefined> {
  const impacts = (await views.find('slice_impact', {
    where: { datasetVersionId },
    sort: [['_id', 1]],
  })) as SliceImpactDocument[];
  if (impacts.length === 0) return undefined;
  const models = new Map<string, { runId: string; roles: Set<SliceRole> }>();
  const deployments = new Map<
    string,
    { models: Set<string>; windows: Map<string, SliceImpactDocument['deployments'][number]['windows'][number]> }
  >();
  for (const impact of impacts) {
    for (const model of impact.modelVersions) {
      const merged = models.get(model.id) ?? { runId: model.runId, roles: new Set<SliceRole>() };
      for (const role of model.roles) merged.roles.add(role);
      models.set(model.id, merged);
    }
    for (const deployment of impact.deployments) {
      const merged = deployments.get(deployment.id) ?? { models: new Set<string>(), windows: new Map() };
      for (const id of deployment.modelVersionIds) merged.models.add(id);
      for (const window of deployment.windows) merged.windows.set(`${window.from}|${window.modelVersionId}`, window);
      deployments.set(deployment.id, merged);
    }
  }
  const modelVersions = [...models]
    .sort(([a], [b]) => codeUnitOrder(a, b))
    .map(([id, { runId, roles }]) => ({ id, runId, roles: SLICE_ROLES.filter((role) => roles.has(role)) }));
  return {
    datasetVersionId,
    sliceIds: impacts.map((impact) => impact._id),
    modelVersions,
    deployments: [...deployments]
      .sort(([a], [b]) => codeUnitOrder(a, b))
      .map(([id, merged]) => ({
        id,
        modelVersionIds: [...merged.models].sort(codeUnitOrder),
        windows: [...merged.windows.values()].sort(
          (a, b) => Date.parse(a.from) - Date.parse(b.from) || codeUnitOrder(a.modelVersionId, b.modelVersionId),
        ),
      })),
    predictions: await predictionTotals(
      views,
      modelVersions.map((model) => model.id),
    ),
  };
}

/**
 * Totals over `prediction_batches` less `prediction_losses` (grouped sums
 * plus two sorted point queries per model version), never a scan of
 * `predictions`: each prediction id counts once, for the event that
 * recorded it first. First and last are the times of the first and last
 * batch that still counts one of its predictions.
 */
async function predictionTotals(views: ViewReader, modelVersionIds: string[]): Promise<PredictionTotals> {
  if (modelVersionIds.length === 0) return { total: 0, byModelVersion: [] };
  const sums = await servedTotals(views, { modelVersionId: { in: modelVersionIds } }, 'modelVersionId');
  const byModelVersion = await Promise.all(
    sums
      .filter((sum) => typeof sum.key === 'string')
      .map(async ({ key, predictions }) => {
        const id = key as string;
        const losses = await lostFrom(views, { modelVersionId: id });
        const [first, last] = await Promise.all([
          firstServedBatch(views, { modelVersionId: id }, 'firstAt', 1, losses),
          firstServedBatch(views, { modelVersionId: id }, 'lastAt', -1, losses),
        ]);
        return { id, count: predictions, firstAt: first?.firstAt ?? '', lastAt: last?.lastAt ?? '' };
      }),
  );
  byModelVersion.sort((a, b) => codeUnitOrder(a.id, b.id));
  return { total: byModelVersion.reduce((sum, model) => sum + model.count, 0), byModelVersion };
}

/** Batches read per query while paging: each holds the ids of up to thousands of predictions. */
const BATCH_PAGE = 50;

/**
 * One page of the ids of predictions made by the model versions a slice
 * trained: batch by batch (in batch order), each batch's ids in the order
 * it listed them, each id once (in the batch that recorded it first). The
 * cursor is opaque to clients; it names the batch and position to go on
 * from, so pages stay stable while predictions keep arriving.
 */
export async function impactPredictionPage(
  views: ViewReader,
  sliceId: string,
  cursor: string | undefined,
  limit: number,
): Promise<PredictionPage | undefined> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new InvalidPageSizeError(limit, MAX_PAGE_SIZE);
  const from = cursor === undefined ? undefined : decodeCursor(cursor);
  const impact = (await views.get('slice_impact', [sliceId])).get(sliceId) as SliceImpactDocument | undefined;
  if (!impact) return undefined;
  const modelVersionIds = impact.modelVersions.map((model) => model.id);
  const predictionIds: string[] = [];
  if (modelVersionIds.length === 0) return { predictionIds, nextCursor: null };
  let after: { id: string; inclusive: boolean } | undefined = from && { id: from.batch, inclusive: true };
  for (;;) {
    const page = (await views.find('prediction_batches', {
      where: {
        modelVersionId: { in: modelVersionIds },
        ...(after === undefined ? {} : { _id: after.inclusive ? { gte: after.id } : { gt: after.id } }),
      },
      sort: [['_id', 1]],
      limit: BATCH_PAGE,
    })) as PredictionBatchDocument[];
    const [lost, members] = await Promise.all([
      lostIds(views, page),
      views.get(
        'prediction_batch_ids',
        page.map((batch) => batch._id),
      ),
    ]);
    for (const batch of page) {
      const ids = (members.get(batch._id) as PredictionBatchIdsDocument | undefined)?.predictionIds ?? [];
      const lostHere = lost.get(batch._id);
      for (let index = batch._id === from?.batch ? from.index : 0; index < ids.length; index += 1) {
        if (lostHere?.has(ids[index])) continue;
        if (predictionIds.length === limit) return { predictionIds, nextCursor: encodeCursor(batch._id, index) };
        predictionIds.push(ids[index]);
      }
    }
    if (page.length < BATCH_PAGE) return { predictionIds, nextCursor: null };
    after = { id: page[page.length - 1]._id, inclusive: false };
  }
}

/** The ids each of these batches lost to an event that recorded them first (batches that lost none are left out). */
async function lostIds(views: ViewReader, batches: PredictionBatchDocument[]): Promise<Map<string, Set<string>>> {
  const lost = new Map<string, Set<string>>();
  if (batches.length === 0) return lost;
  // Losses are few: one query for the whole page.
  const losses = (await views.find('prediction_losses', {
    where: { eventId: { in: batches.map((batch) => batch._id) } },
  })) as PredictionLossDocument[];
  for (const loss of losses) lost.set(loss.eventId, (lost.get(loss.eventId) ?? new Set()).add(loss.predictionId));
  return lost;
}

function encodeCursor(batch: string, index: number): string {
  return Buffer.from(JSON.stringify({ batch, index }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { batch: string; index: number } {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown> | null;
    const batch = decoded?.['batch'];
    const index = decoded?.['index'];
    if (typeof batch === 'string' && batch.length > 0 && Number.isSafeInteger(index) && (index as number) >= 0) {
      return { batch, index: index as number };
    }
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  throw new InvalidCursorError(cursor);
}
