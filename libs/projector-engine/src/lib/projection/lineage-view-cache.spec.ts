import { InMemoryViews, type ViewName, type ViewWrite } from '@prov/projections';
import fc from 'fast-check';
import { LineageViewCache } from './lineage-view-cache';

const ids = ['a', 'b', 'c', 'd'];
const rels = ['used', 'trained-by'];

const documentWrite: fc.Arbitrary<ViewWrite> = fc.oneof(
  fc.record({
    op: fc.constant('set' as const),
    view: fc.constantFrom<ViewName>('nodes', 'model_lineage'),
    id: fc.constantFrom(...ids),
    fields: fc.dictionary(
      fc.constantFrom('kind', 'definition', 'flags.e1', 'flags.e2', 'completion.status'),
      fc.jsonValue(),
      {
        minKeys: 1,
        maxKeys: 3,
      },
    ),
  }),
  fc.record({
    op: fc.constant('replace' as const),
    view: fc.constantFrom<ViewName>('nodes', 'model_lineage', 'slice_impact'),
    id: fc.constantFrom(...ids),
    doc: fc.record({ _id: fc.constant('ignored'), kind: fc.string(), list: fc.array(fc.integer(), { maxLength: 3 }) }),
  }),
  fc.record({
    op: fc.constant('delete' as const),
    view: fc.constantFrom<ViewName>('nodes', 'model_lineage'),
    id: fc.constantFrom(...ids),
  }),
  {
    weight: 3,
    arbitrary: fc
      .record({
        // Few ends, so that an edge is often written again (with other attributes) after it was read.
        from: fc.constantFrom('a', 'b'),
        rel: fc.constantFrom(...rels),
        to: fc.constantFrom('a', 'b'),
        weight: fc.integer({ min: 0, max: 3 }),
      })
      .map(({ from, rel, to, weight }): ViewWrite => {
        const id = `${from}>${rel}>${to}`;
        return { op: 'replace', view: 'edges', id, doc: { _id: id, from, rel, to, attrs: { weight } } };
      }),
  },
);

type Step =
  | { kind: 'apply'; writes: ViewWrite[] }
  | { kind: 'get'; view: ViewName; ids: string[] }
  | { kind: 'edges'; end: 'to' | 'from'; ids: string[]; rel: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('apply' as const), writes: fc.array(documentWrite, { minLength: 1, maxLength: 4 }) }),
  fc.record({
    kind: fc.constant('get' as const),
    view: fc.constantFrom<ViewName>('nodes', 'model_lineage', 'slice_impact'),
    ids: fc.subarray(ids, { minLength: 1 }),
  }),
  fc.record({
    kind: fc.constant('edges' as const),
    end: fc.constantFrom<'to' | 'from'>('to', 'from'),
    ids: fc.subarray(ids, { minLength: 1 }),
    rel: fc.constantFrom(...rels),
  }),
);

/** Writes within one apply call never share a document unless they commute (the port's rule): keep the last of each. */
function commuting(writes: ViewWrite[]): ViewWrite[] {
  return [...new Map(writes.map((write) => [`${write.view}|${write.id}`, write])).values()];
}

describe('LineageViewCache', () => {
  it('answers every read as the store behind it does, whatever was read, written and dropped before', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), fc.integer({ min: 1, max: 40 }), async (steps, capacity) => {
        const store = new InMemoryViews();
        const cache = new LineageViewCache(store, capacity);
        for (const s of steps) {
          if (s.kind === 'apply') {
            await cache.apply(commuting(s.writes));
          } else if (s.kind === 'get') {
            expect(await cache.get(s.view, s.ids)).toEqual(await store.get(s.view, s.ids));
          } else {
            const query = { where: { [s.end]: s.ids.length === 1 ? s.ids[0] : { in: s.ids }, rel: s.rel } };
            expect(await cache.find('edges', query)).toEqual(await store.find('edges', query));
          }
          expect(cache.size).toBeLessThanOrEqual(capacity);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reads a document once, and hands out copies that do not change what it keeps', async () => {
    const store = new InMemoryViews();
    await store.apply([{ op: 'replace', view: 'nodes', id: 'a', doc: { _id: 'a', kind: 'run', tags: ['x'] } }]);
    const reads = jest.spyOn(store, 'get');
    const cache = new LineageViewCache(store, 10);
    const first = await cache.get('nodes', ['a', 'missing']);
    (first.get('a') as unknown as { tags: string[] }).tags.push('changed by a caller');
    expect(await cache.get('nodes', ['a', 'missing'])).toEqual(
      new Map([['a', { _id: 'a', kind: 'run', tags: ['x'] }]]),
    );
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('follows an edge written again with other attributes, at both of its ends', async () => {
    const store = new InMemoryViews();
    const cache = new LineageViewCache(store, 10);
    const edge = (weight: number): ViewWrite => ({
      op: 'replace',
      view: 'edges',
      id: 'a>used>b',
      doc: { _id: 'a>used>b', from: 'a', rel: 'used', to: 'b', attrs: { weight } },
    });
    await cache.apply([edge(1)]);
    const into = { where: { to: 'b', rel: 'used' } };
    const outOf = { where: { from: { in: ['a', 'c'] }, rel: 'used' } };
    await cache.find('edges', into);
    await cache.find('edges', outOf);
    await cache.apply([edge(2)]);
    expect(await cache.find('edges', into)).toEqual([
      { _id: 'a>used>b', from: 'a', rel: 'used', to: 'b', attrs: { weight: 2 } },
    ]);
    expect(await cache.find('edges', outOf)).toEqual(await store.find('edges', outOf));
  });

  it('forgets everything when a write fails, as the store may hold some of it', async () => {
    const store = new InMemoryViews();
    const cache = new LineageViewCache(store, 10);
    await cache.get('nodes', ['a']);
    jest.spyOn(store, 'apply').mockRejectedValueOnce(new Error('store unavailable'));
    await expect(cache.apply([{ op: 'set', view: 'nodes', id: 'a', fields: { kind: 'run' } }])).rejects.toThrow(
      'store unavailable',
    );
    expect(cache.size).toBe(0);
  });

  it('leaves other views and other queries to the store', async () => {
    const store = new InMemoryViews();
    const cache = new LineageViewCache(store, 10);
    await cache.get('alerts', ['x']);
    await cache.find('edges', { where: { to: 'a', rel: 'used' }, limit: 1 });
    await cache.find('nodes', { where: { kind: 'run' } });
    expect(cache.size).toBe(0);
  });
});
