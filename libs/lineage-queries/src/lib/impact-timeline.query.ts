import type {
  PredictionBatchDocument,
  PredictionLossDocument,
  SliceImpactDocument,
  ViewDocument,
  ViewReader,
} from '@prov/projections';
import { PredictionTimeline, TimelineBucket, TimelineTally } from './prediction-timeline';

export interface SliceTimeline extends PredictionTimeline {
  sliceId: string;
}

export interface DatasetVersionTimeline extends PredictionTimeline {
  datasetVersionId: string;
}

/** Batches read per query: memory stays bounded however many predictions the model versions made. */
const BATCH_PAGE = 1000;

/**
 * The predictions of the model versions a slice trained, per time bucket
 * (API `GET /v1/slices/{id}/impact/timeline`); undefined for a slice no view knows.
 */
export async function timelineOfSlice(
  views: ViewReader,
  sliceId: string,
  bucket: TimelineBucket,
): Promise<SliceTimeline | undefined> {
  const impact = (await views.get('slice_impact', [sliceId])).get(sliceId) as SliceImpactDocument | undefined;
  if (!impact) return undefined;
  const timeline = await timelineOf(views, modelVersionIdsOf([impact]), bucket);
  return { sliceId, ...timeline };
}

/** The same over every slice of a dataset version; undefined when no known slice reads from it. */
export async function timelineOfDatasetVersion(
  views: ViewReader,
  datasetVersionId: string,
  bucket: TimelineBucket,
): Promise<DatasetVersionTimeline | undefined> {
  const impacts = (await views.find('slice_impact', { where: { datasetVersionId } })) as SliceImpactDocument[];
  if (impacts.length === 0) return undefined;
  const timeline = await timelineOf(views, modelVersionIdsOf(impacts), bucket);
  return { datasetVersionId, ...timeline };
}

const modelVersionIdsOf = (impacts: readonly SliceImpactDocument[]): string[] => [
  ...new Set(impacts.flatMap((impact) => impact.modelVersions.map((model) => model.id))),
];

/**
 * Sums the hourly counts every batch of these model versions keeps, reading
 * `prediction_batches` a page at a time in id order (one document per batch
 * of up to thousands of predictions), never `predictions`; then takes away
 * the ids each batch lost to an event that recorded them first, so that
 * each prediction id counts once.
 */
async function timelineOf(
  views: ViewReader,
  modelVersionIds: string[],
  bucket: TimelineBucket,
): Promise<PredictionTimeline> {
  const tally = new TimelineTally(bucket);
  if (modelVersionIds.length === 0) return tally.timeline();
  for await (const batch of pagesOf<PredictionBatchDocument>(views, 'prediction_batches', modelVersionIds)) {
    // A generation folded before batches counted their hours has none: it shows nothing until rebuilt.
    tally.add(batch.modelVersionId, batch.hours ?? []);
  }
  for await (const loss of pagesOf<PredictionLossDocument>(views, 'prediction_losses', modelVersionIds)) {
    tally.add(loss.modelVersionId, [{ hour: loss.hour, count: -1 }]);
  }
  return tally.timeline();
}

/** The documents of these model versions, read a page at a time in id order. */
async function* pagesOf<T extends ViewDocument>(
  views: ViewReader,
  view: 'prediction_batches' | 'prediction_losses',
  modelVersionIds: string[],
): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const page = (await views.find(view, {
      where: { modelVersionId: { in: modelVersionIds }, ...(after === undefined ? {} : { _id: { gt: after } }) },
      sort: [['_id', 1]],
      limit: BATCH_PAGE,
    })) as T[];
    yield* page;
    if (page.length < BATCH_PAGE) return;
    after = page[page.length - 1]._id;
  }
}
