import { InMemoryLineageStore, type ViewGeneration } from '@prov/lineage-store';
import type { ViewName } from '@prov/projections';
import { RevisionCheckedCache } from './revision-checked-cache';

/** Counts the point reads that reach the store, per view. */
function counting(generation: ViewGeneration): { generation: ViewGeneration; reads: Map<ViewName, number> } {
  const reads = new Map<ViewName, number>();
  const counted = Object.create(generation) as ViewGeneration;
  counted.get = (view, ids) => {
    reads.set(view, (reads.get(view) ?? 0) + ids.length);
    return generation.get(view, ids);
  };
  return { generation: counted, reads };
}

describe('RevisionCheckedCache', () => {
  let store: InMemoryLineageStore;
  let live: ViewGeneration;

  beforeEach(async () => {
    store = new InMemoryLineageStore();
    live = await store.generation('live');
    await live.apply([
      { op: 'replace', view: 'model_lineage', id: 'm:1', doc: { _id: 'm:1', stage: 'staging', tags: ['a'] } },
      { op: 'replace', view: 'predictions', id: 'p:1', doc: { _id: 'p:1', modelVersionId: 'm:1' } },
    ]);
  });

  it('serves a lineage document from memory while its view is unchanged, and reads predictions every time', async () => {
    const cache = new RevisionCheckedCache();
    const { generation, reads } = counting(live);
    for (let request = 0; request < 3; request++) {
      const reader = cache.reader(generation);
      expect((await reader.get('predictions', ['p:1'])).get('p:1')).toEqual({ _id: 'p:1', modelVersionId: 'm:1' });
      expect((await reader.get('model_lineage', ['m:1'])).get('m:1')).toMatchObject({ stage: 'staging' });
    }
    expect(reads.get('model_lineage')).toBe(1);
    expect(reads.get('predictions')).toBe(3);
  });

  it('keeps a batch document whatever the revisions, but never a batch not found yet', async () => {
    const cache = new RevisionCheckedCache();
    const { generation, reads } = counting(live);
    expect((await cache.reader(generation).get('prediction_batches', ['e:1'])).size).toBe(0);
    await live.apply([{ op: 'replace', view: 'prediction_batches', id: 'e:1', doc: { _id: 'e:1', count: 2 } }]);
    for (let request = 0; request < 3; request++) {
      expect((await cache.reader(generation).get('prediction_batches', ['e:1'])).get('e:1')).toEqual({
        _id: 'e:1',
        count: 2,
      });
      // Other batches arrive all the time: they change the view's revision, not what a stored batch holds.
      await live.apply([{ op: 'replace', view: 'prediction_batches', id: `e:${request + 2}`, doc: { _id: 'x' } }]);
    }
    expect(reads.get('prediction_batches')).toBe(2);
  });

  it('reads a document again once its view changed, and sees the change', async () => {
    const cache = new RevisionCheckedCache();
    const { generation, reads } = counting(live);
    expect((await cache.reader(generation).get('model_lineage', ['m:1'])).get('m:1')).toMatchObject({
      stage: 'staging',
    });
    await live.apply([{ op: 'set', view: 'model_lineage', id: 'm:1', fields: { stage: 'production' } }]);
    expect((await cache.reader(generation).get('model_lineage', ['m:1'])).get('m:1')).toMatchObject({
      stage: 'production',
    });
    expect(reads.get('model_lineage')).toBe(2);
    // A change to another view keeps what was read.
    await live.apply([{ op: 'replace', view: 'predictions', id: 'p:2', doc: { _id: 'p:2' } }]);
    await cache.reader(generation).get('model_lineage', ['m:1']);
    expect(reads.get('model_lineage')).toBe(2);
  });

  it('shares one reading of the revisions, renewed in the background, and reads afresh after a quiet spell', async () => {
    let now = 1_000;
    const cache = new RevisionCheckedCache(undefined, undefined, 100, () => now);
    let revisionReads = 0;
    const { generation } = counting(live);
    const revisions = generation.revisions.bind(generation);
    generation.revisions = (views) => {
      revisionReads += 1;
      return revisions(views);
    };
    const stage = async () =>
      ((await cache.reader(generation).get('model_lineage', ['m:1'])).get('m:1') as unknown as { stage: string }).stage;
    expect(await stage()).toBe('staging');
    await live.apply([{ op: 'set', view: 'model_lineage', id: 'm:1', fields: { stage: 'production' } }]);
    now += 50;
    // Fresh enough: the shared reading, so the kept document, however many requests come.
    expect(await stage()).toBe('staging');
    expect(await stage()).toBe('staging');
    expect(revisionReads).toBe(1);
    now += 100;
    // A little old: still served from it, while one new reading is made for the next requests.
    expect(await stage()).toBe('staging');
    await new Promise((r) => setImmediate(r));
    expect(revisionReads).toBe(2);
    expect(await stage()).toBe('production');
    await live.apply([{ op: 'set', view: 'model_lineage', id: 'm:1', fields: { stage: 'archived' } }]);
    now += 5_000;
    // After a quiet spell the request waits for a new reading.
    expect(await stage()).toBe('archived');
    expect(revisionReads).toBe(3);
  });

  it('does not share a reading of the revisions that failed', async () => {
    let now = 1_000;
    const cache = new RevisionCheckedCache(undefined, undefined, 100, () => now);
    const { generation } = counting(live);
    const revisions = generation.revisions.bind(generation);
    let fail = true;
    generation.revisions = (views) => (fail ? Promise.reject(new Error('store away')) : revisions(views));
    await expect(cache.reader(generation).get('model_lineage', ['m:1'])).rejects.toThrow('store away');
    fail = false;
    now += 1;
    expect((await cache.reader(generation).get('model_lineage', ['m:1'])).get('m:1')).toMatchObject({
      stage: 'staging',
    });
  });

  it('remembers that a document is absent, until the view changes', async () => {
    const cache = new RevisionCheckedCache();
    const { generation, reads } = counting(live);
    expect((await cache.reader(generation).get('model_lineage', ['m:2'])).has('m:2')).toBe(false);
    expect((await cache.reader(generation).get('model_lineage', ['m:2'])).has('m:2')).toBe(false);
    expect(reads.get('model_lineage')).toBe(1);
    await live.apply([{ op: 'replace', view: 'model_lineage', id: 'm:2', doc: { _id: 'm:2' } }]);
    expect((await cache.reader(generation).get('model_lineage', ['m:2'])).get('m:2')).toEqual({ _id: 'm:2' });
  });

  it('forgets everything when the generation changes', async () => {
    const cache = new RevisionCheckedCache();
    await cache.reader(live).get('model_lineage', ['m:1']);
    const rebuilt = await store.generation('rebuilt');
    await rebuilt.apply([{ op: 'replace', view: 'model_lineage', id: 'm:1', doc: { _id: 'm:1', stage: 'archived' } }]);
    expect((await cache.reader(rebuilt).get('model_lineage', ['m:1'])).get('m:1')).toEqual({
      _id: 'm:1',
      stage: 'archived',
    });
  });

  it('keeps at most its capacity, dropping the least recently used', async () => {
    const cache = new RevisionCheckedCache(['model_lineage'], 2);
    const { generation, reads } = counting(live);
    const read = (id: string) => cache.reader(generation).get('model_lineage', [id]);
    await read('m:1');
    await read('m:2');
    await read('m:1'); // hit: m:2 is now the least recently used
    await read('m:3');
    expect(cache.size).toBe(2);
    expect(reads.get('model_lineage')).toBe(3);
    await read('m:1');
    expect(reads.get('model_lineage')).toBe(3);
    await read('m:2');
    expect(reads.get('model_lineage')).toBe(4);
  });

  it('hands out documents nobody can change, so no request alters what another is served', async () => {
    const cache = new RevisionCheckedCache();
    const doc = (await cache.reader(live).get('model_lineage', ['m:1'])).get('m:1') as unknown as { tags: string[] };
    expect(() => doc.tags.push('b')).toThrow(/not extensible/);
    expect((await cache.reader(live).get('model_lineage', ['m:1'])).get('m:1')).toMatchObject({ tags: ['a'] });
  });
});
