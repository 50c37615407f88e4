import { InMemoryViews } from './in-memory-views';
import { SNAPSHOT_LIMIT, predictionFactsSnapshot } from './prediction-facts.snapshot';
import type { ViewDocument, ViewName, ViewQuery } from './view-store.port';

const batch = (id: string, modelVersionId: string, count: number): ViewDocument => ({
  _id: id,
  modelVersionId,
  recordedAt: `2026-11-05T10:00:0${id.length % 10}.000Z`,
  count,
});

/** The views, counting the reads that reach them. */
class CountedViews extends InMemoryViews {
  readonly reads: string[] = [];
  override async find(view: ViewName, query: ViewQuery) {
    this.reads.push(`find ${view}`);
    return super.find(view, query);
  }
  override async sum(view: ViewName, where: ViewQuery['where'], field: string, groupBy: string) {
    this.reads.push(`sum ${view}`);
    return super.sum(view, where, field, groupBy);
  }
}

async function viewsWith(docs: ViewDocument[]): Promise<CountedViews> {
  const views = new CountedViews();
  await views.apply(docs.map((doc) => ({ op: 'replace', view: 'prediction_batches', id: doc._id, doc })));
  views.reads.length = 0;
  return views;
}

describe('predictionFactsSnapshot', () => {
  it('answers the sums of its model versions from one read of each view, as the store would', async () => {
    const views = await viewsWith([batch('b1', 'model:a', 3), batch('b2', 'model:a', 4), batch('b3', 'model:b', 5)]);
    const facts = await predictionFactsSnapshot(views, ['model:a', 'model:b']);
    expect(views.reads).toEqual(['find prediction_batches', 'find prediction_losses']);
    for (const where of [{ modelVersionId: 'model:a' }, { modelVersionId: { in: ['model:a', 'model:b'] } }]) {
      expect(await facts.sum('prediction_batches', where, 'count', 'modelVersionId')).toEqual(
        await views.sum('prediction_batches', where, 'count', 'modelVersionId'),
      );
    }
    expect(views.reads.filter((read) => read.startsWith('sum'))).toHaveLength(2);
  });

  it('counts the facts as they were when it was read, and sends reads of other model versions to the store', async () => {
    const views = await viewsWith([batch('b1', 'model:a', 3), batch('b3', 'model:b', 5)]);
    const facts = await predictionFactsSnapshot(views, ['model:a']);
    await views.apply([{ op: 'replace', view: 'prediction_batches', id: 'b9', doc: batch('b9', 'model:a', 1) }]);
    await views.apply([{ op: 'replace', view: 'prediction_batches', id: 'b8', doc: batch('b8', 'model:b', 1) }]);
    expect(await facts.count('prediction_batches', { modelVersionId: 'model:a' })).toBe(1);
    expect(await facts.count('prediction_batches', { modelVersionId: 'model:b' })).toBe(2);
    expect(await facts.count('prediction_batches', { modelVersionId: { in: ['model:a', 'model:b'] } })).toBe(4);
    expect((await facts.get('prediction_batches', ['b1', 'b8'])).size).toBe(2);
  });

  it('leaves model versions with more batches than it holds to the store', async () => {
    const docs = Array.from({ length: SNAPSHOT_LIMIT + 1 }, (_, i) => batch(`b${i}`, 'model:a', 1));
    const views = await viewsWith(docs);
    const facts = await predictionFactsSnapshot(views, ['model:a']);
    expect(facts).toBe(views);
  });
});
