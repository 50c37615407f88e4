import type { EventOf } from '@prov/contracts';
import { viewCollectionName } from '@prov/lineage-store';
import { InMemoryViews, projectEvents, type ViewName } from '@prov/projections';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BenchSession } from '../bench-session';

/** The views that hold predictions and what their batches share (their events' admission too): what a prediction costs the store. */
const PREDICTION_VIEWS: ViewName[] = [
  'predictions',
  'prediction_batches',
  'prediction_batch_ids',
  'prediction_claims',
  'prediction_losses',
  'folded_events',
];

/**
 * Bytes per prediction in the MongoDB-wire store's active generation: the
 * server's own `collStats` of the prediction views (documents, and with
 * their indexes), over the predictions they hold.
 */
export async function storeBytesPerPrediction(
  session: BenchSession,
  predictions: number,
): Promise<{ documents: number; withIndexes: number }> {
  const generation = await session.store.activeGeneration();
  if (!generation) throw new Error('no active generation to measure');
  const db = session.mongo.db(session.database);
  let documents = 0;
  let indexes = 0;
  for (const view of PREDICTION_VIEWS) {
    const stats = await db.command({ collStats: viewCollectionName(generation, view) });
    documents += Number(stats['size'] ?? 0);
    indexes += Number(stats['totalIndexSize'] ?? 0);
  }
  return { documents: documents / predictions, withIndexes: (documents + indexes) / predictions };
}

/**
 * Bytes per prediction of the in-memory store: the heap the views of these
 * batches hold once garbage is collected, over their predictions.
 */
export async function inMemoryBytesPerPrediction(
  batches: ReadonlyArray<EventOf<'prediction.batch.recorded'>>,
): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const predictions = batches.reduce((sum, batch) => sum + batch.payload.predictions.length, 0);
  gc();
  const before = process.memoryUsage().heapUsed;
  const views = new InMemoryViews();
  for (const batch of batches) await projectEvents([structuredClone(batch)], views);
  gc();
  const held = process.memoryUsage().heapUsed - before;
  // Kept alive until measured.
  if (views.snapshot('prediction_batches').length !== batches.length) throw new Error('the batches were not all held');
  return held / predictions;
}
