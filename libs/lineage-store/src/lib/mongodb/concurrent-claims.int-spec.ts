import type { EventOf } from '@prov/contracts';
import { projectEvents, readClaims, servedTotals } from '@prov/projections';
import { LineageEvents, digest, integrationEnv, uniqueName } from '@prov/testing';
import { MongoClient } from 'mongodb';
import { MongoLineageStore } from './mongodb-lineage-store';

const { mongodbUri } = integrationEnv();
const IDS = Array.from({ length: 30 }, (_, i) => `pred:concurrent-${i}`);
const MODEL = 'model:concurrent@1';

function batchOf(
  events: LineageEvents,
  deployment: string,
  output: string,
  ids: readonly string[],
): EventOf<'prediction.batch.recorded'> {
  return events.event('prediction.batch.recorded', {
    batchId: `batch:${events.uuid()}`,
    deploymentId: deployment,
    modelVersionId: MODEL,
    artifactDigest: digest('a'),
    predictions: ids.map((predictionId) => ({
      predictionId,
      at: '2026-11-05T10:00:00.000Z',
      inputDigest: digest('1'),
      outputDigest: digest(output),
    })),
  }) as EventOf<'prediction.batch.recorded'>;
}

/**
 * Two projector replicas folding, at the same moment, batches that re-send
 * the same prediction ids, each through its own connection to the real
 * server. A store without atomic updates of a document (FerretDB 1.x)
 * loses one of two updates made to one document at once: no claim may be
 * kept as an update of a document another writer can touch.
 */
describe('claims of prediction ids re-sent by two replicas at once (real server)', () => {
  const database = uniqueName('claims');
  let first: MongoLineageStore;
  let second: MongoLineageStore;

  beforeAll(async () => {
    first = await MongoLineageStore.connect({ uri: mongodbUri, database, serverSelectionTimeoutMS: 10_000 });
    second = await MongoLineageStore.connect({ uri: mongodbUri, database, serverSelectionTimeoutMS: 10_000 });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    const client = await new MongoClient(mongodbUri, { serverSelectionTimeoutMS: 10_000 }).connect();
    await client.db(database).dropDatabase();
    await client.close();
  });

  it('keeps every claim, and counts each id once', async () => {
    const events = new LineageEvents();
    const [views, other] = [await first.generation('live-claims'), await second.generation('live-claims')];
    await projectEvents([batchOf(events, 'deployment:api', '2', IDS)], views);
    await projectEvents([batchOf(events, 'deployment:api', '2', IDS)], views);
    // Every id is contested already; two replicas add a claim to the same id at once, one id at a time.
    for (const id of IDS) {
      const [contradicting, again] = [
        batchOf(events, 'deployment:other', '3', [id]),
        batchOf(events, 'deployment:b', '4', [id]),
      ];
      await Promise.all([projectEvents([contradicting], views), projectEvents([again], other)]);
    }

    const claims = await readClaims(views, IDS);
    const incomplete = IDS.filter((id) => claims.get(id)?.length !== 4);
    expect(incomplete).toEqual([]);
    const totals = await servedTotals(views, { modelVersionId: MODEL }, 'modelVersionId');
    expect(totals.map((total) => total.predictions)).toEqual([IDS.length]);
    expect(await views.count('prediction_losses', {})).toBe(3 * IDS.length);
  }, 120_000);
});
