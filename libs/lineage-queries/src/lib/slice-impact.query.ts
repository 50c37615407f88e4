import { SLICE_ROLES, type SliceRole } from '@prov/contracts';
import type { PredictionBatchDocument, SliceImpactDocument, SliceFlag, ViewReader } from '@prov/projections';
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
 * Totals over `prediction_batches` (one `$group` plus two sorted point
 * queries per model version), never a scan of `predictions`.
 */
async function predictionTotals(views: ViewReader, modelVersionIds: string[]): Promise<PredictionTotals> {
  if (modelVersionIds.length === 0) return { total: 0, byModelVersion: [] };
  const sums = await views.sum(
    'prediction_batches',
    { modelVersionId: { in: modelVersionIds } },
    'count',
    'modelVersionId',
  );
  const byModelVersion = await Promise.all(
    sums
      .filter((sum) => typeof sum.key === 'string' && sum.total > 0)
      .map(async ({ key, total }) => {
        const id = key as string;
        const [first, last] = await Promise.all([
          views.find('prediction_batches', { where: { modelVersionId: id }, sort: [['firstAt', 1]], limit: 1 }),
          views.find('prediction_batches', { where: { modelVersionId: id }, sort: [['lastAt', -1]], limit: 1 }),
        ]);
        return {
          id,
          count: total,
          firstAt: (first[0] as PredictionBatchDocument).firstAt,
          lastAt: (last[0] as PredictionBatchDocument).lastAt,
        };
      }),
  );
  byModelVersion.sort((a, b) => codeUnitOrder(a.id, b.id));
  return { total: byModelVersion.reduce((sum, model) => sum + model.count, 0), byModelVersion };
}

/**
 * One page of the ids of predictions made by the model versions a slice
 * trained, in id order. The cursor is opaque to clients; it carries the last
 * id returned, so pages stay stable while predictions keep arriving.
 */
export async function impactPredictionPage(
  views: ViewReader,
  sliceId: string,
  cursor: string | undefined,
  limit: number,
): Promise<PredictionPage | undefined> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new InvalidPageSizeError(limit, MAX_PAGE_SIZE);
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const impact = (await views.get('slice_impact', [sliceId])).get(sliceId) as SliceImpactDocument | undefined;
  if (!impact) return undefined;
  const modelVersionIds = impact.modelVersions.map((model) => model.id);
  if (modelVersionIds.length === 0) return { predictionIds: [], nextCursor: null };
  // One more than asked tells whether another page follows.
  const found = await views.find('predictions', {
    where: { modelVersionId: { in: modelVersionIds }, ...(after === undefined ? {} : { _id: { gt: after } }) },
    sort: [['_id', 1]],
    limit: limit + 1,
  });
  const predictionIds = found.slice(0, limit).map((doc) => doc._id);
  return {
    predictionIds,
    nextCursor: found.length > limit ? encodeCursor(predictionIds[predictionIds.length - 1]) : null,
  };
}

function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after = (decoded as { after?: unknown } | null)?.after;
    if (typeof after === 'string' && after.length > 0) return after;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  throw new InvalidCursorError(cursor);
}
