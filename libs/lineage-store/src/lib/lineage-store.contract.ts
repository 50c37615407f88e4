import { InMemoryViews, ViewDocument, ViewName, ViewQuery, ViewWrite } from '@prov/projections';
import { describeGenerationsContract } from './lineage-store-generations.contract';
import { InvalidFieldPathError } from './lineage-store.errors';
import type { LineageStore } from './lineage-store.port';

/**
 * The semantics every LineageStore adapter owes the projector and the query
 * services, as one Jest suite each adapter's spec runs against itself. Query
 * results are compared with InMemoryViews (the reference semantics), order
 * included, besides the expected outcome.
 *
 * `open` must give a store with no data (a new instance, a new database);
 * `cleanup` runs once after the suite.
 */
export function describeLineageStoreContract(
  adapterName: string,
  open: () => Promise<LineageStore>,
  cleanup?: () => Promise<void>,
): void {
  describe(`LineageStore contract: ${adapterName}`, () => {
    let store: LineageStore;

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });
    if (cleanup) afterAll(cleanup);

    /** A generation and a reference InMemoryViews that get the same writes. */
    const twins = async (name = 'live-1') => {
      const generation = await store.generation(name);
      const reference = new InMemoryViews();
      return {
        generation,
        reference,
        apply: async (writes: ViewWrite[]) => {
          await generation.apply(writes);
          await reference.apply(writes);
        },
        /** Every document of the view, by id, as stored and as the reference holds it. */
        snapshots: async (view: ViewName) => ({
          stored: await generation.find(view, {}), // sorted by _id, as snapshots are
          expected: reference.snapshot(view),
        }),
        findBoth: async (view: ViewName, query: ViewQuery) => {
          const found = await generation.find(view, query);
          expect(found).toEqual(await reference.find(view, query));
          return found.map((doc) => doc._id);
        },
      };
    };

    describe('writes', () => {
      it('set upserts a missing document and sets nested dotted paths, leaving other fields as they are', async () => {
        const { generation, apply, snapshots } = await twins();
        await apply([
          { op: 'set', view: 'model_lineage', id: 'mv:1', fields: { runId: 'run:1', 'metrics.accuracy': 0.9 } },
        ]);
        await apply([
          {
            op: 'set',
            view: 'model_lineage',
            id: 'mv:1',
            fields: { 'metrics.loss': 0.25, 'completeness.data.ok': true, sliceIds: ['s:1', 's:2'] },
          },
        ]);
        const stored = (await generation.get('model_lineage', ['mv:1'])).get('mv:1');
        expect(stored).toEqual({
          _id: 'mv:1',
          runId: 'run:1',
          metrics: { accuracy: 0.9, loss: 0.25 },
          completeness: { data: { ok: true } },
          sliceIds: ['s:1', 's:2'],
        });
        const { stored: all, expected } = await snapshots('model_lineage');
        expect(all).toEqual(expected);
      });

      it('two sets of one call on a new document both apply', async () => {
        const { generation, apply, snapshots } = await twins();
        await apply([
          { op: 'set', view: 'slice_impact', id: 's:1', fields: { 'counts.m1': 2 } },
          { op: 'set', view: 'slice_impact', id: 's:1', fields: { 'counts.m2': 3, datasetVersionId: 'dv:1' } },
        ]);
        expect(await generation.find('slice_impact', {})).toEqual([
          { _id: 's:1', counts: { m1: 2, m2: 3 }, datasetVersionId: 'dv:1' },
        ]);
        const { stored, expected } = await snapshots('slice_impact');
        expect(stored).toEqual(expected);
      });

      it('set with no fields creates the bare document and leaves an existing one unchanged', async () => {
        const { generation, apply } = await twins();
        await apply([{ op: 'set', view: 'nodes', id: 'n:1', fields: {} }]);
        expect(await generation.find('nodes', {})).toEqual([{ _id: 'n:1' }]);
        await apply([{ op: 'set', view: 'nodes', id: 'n:1', fields: { kind: 'dataset' } }]);
        await apply([{ op: 'set', view: 'nodes', id: 'n:1', fields: {} }]);
        expect(await generation.find('nodes', {})).toEqual([{ _id: 'n:1', kind: 'dataset' }]);
      });

      it('replace upserts the whole document under the write id, dropping fields it does not carry', async () => {
        const { generation, apply, snapshots } = await twins();
        await apply([{ op: 'replace', view: 'nodes', id: 'n:1', doc: { _id: 'n:1', kind: 'run', label: 'first' } }]);
        await apply([{ op: 'replace', view: 'nodes', id: 'n:1', doc: { _id: 'other', kind: 'run', status: 'done' } }]);
        expect((await generation.get('nodes', ['n:1'])).get('n:1')).toEqual({
          _id: 'n:1',
          kind: 'run',
          status: 'done',
        });
        const { stored, expected } = await snapshots('nodes');
        expect(stored).toEqual(expected);
      });

      it('delete removes the document, and deleting a missing one is not an error', async () => {
        const { generation, apply } = await twins();
        await apply([
          { op: 'replace', view: 'edges', id: 'e:1', doc: { _id: 'e:1', from: 'a', to: 'b', rel: 'used' } },
          { op: 'replace', view: 'edges', id: 'e:2', doc: { _id: 'e:2', from: 'b', to: 'c', rel: 'used' } },
        ]);
        await apply([
          { op: 'delete', view: 'edges', id: 'e:1' },
          { op: 'delete', view: 'edges', id: 'e:missing' },
        ]);
        expect((await generation.find('edges', {})).map((doc) => doc._id)).toEqual(['e:2']);
        expect(await generation.count('edges')).toBe(1);
      });

      it('applying the same writes twice leaves the views as applying them once', async () => {
        const { generation, apply, snapshots } = await twins();
        const views = ['model_lineage', 'nodes', 'edges'] as const;
        await apply([{ op: 'replace', view: 'edges', id: 'e:gone', doc: { _id: 'e:gone', from: 'x' } }]);
        const writes: ViewWrite[] = [
          { op: 'set', view: 'model_lineage', id: 'mv:1', fields: { runId: 'run:1', 'hyperparameters.lr': 0.5 } },
          { op: 'replace', view: 'nodes', id: 'n:1', doc: { _id: 'n:1', kind: 'model' } },
          { op: 'delete', view: 'edges', id: 'e:gone' },
        ];
        await apply(writes);
        const once = await Promise.all(views.map((view) => snapshots(view)));
        await generation.apply(writes);
        const twice = await Promise.all(views.map((view) => snapshots(view)));
        expect(twice).toEqual(once);
        for (const { stored, expected } of twice) expect(stored).toEqual(expected);
        expect(twice.map(({ stored }) => stored.length)).toEqual([1, 1, 0]);
      });

      it('applies a batch of 5,000 documents across views and acknowledges all of them', async () => {
        const { generation } = await twins();
        const writes: ViewWrite[] = Array.from({ length: 5_000 }, (_, i) =>
          i % 2 === 0
            ? {
                op: 'replace',
                view: 'predictions',
                id: `p:${i}`,
                doc: { _id: `p:${i}`, modelVersionId: `m:${i % 7}`, n: i },
              }
            : {
                op: 'set',
                view: 'prediction_batches',
                id: `b:${i}`,
                fields: { modelVersionId: `m:${i % 7}`, 'stats.n': i },
              },
        );
        await generation.apply(writes);
        expect(await generation.count('predictions')).toBe(2_500);
        expect(await generation.count('prediction_batches')).toBe(2_500);
        expect((await generation.get('predictions', ['p:4242'])).get('p:4242')).toEqual({
          _id: 'p:4242',
          modelVersionId: 'm:0',
          n: 4242,
        });
        expect((await generation.get('prediction_batches', ['b:4999'])).get('b:4999')).toEqual({
          _id: 'b:4999',
          modelVersionId: 'm:1',
          stats: { n: 4999 },
        });
        const top = await generation.find('predictions', {
          where: { modelVersionId: 'm:3' },
          sort: [['n', -1]],
          limit: 3,
        });
        expect(top.map((doc) => doc['n'])).toEqual([4994, 4980, 4966]);
      });

      it('insertNew stores the new documents, leaves stored ones as they are and names them', async () => {
        const generation = await store.generation('live-1');
        const doc = (id: string, n: number): ViewDocument => ({
          _id: id,
          eventId: `e${n}`,
          at: '2026-11-05T10:00:00Z',
        });
        expect(await generation.insertNew('predictions', [doc('p:1', 1), doc('p:2', 1)])).toEqual(new Set());
        const before = await generation.revisions(['predictions']);
        const present = await generation.insertNew('predictions', [doc('p:2', 2), doc('p:3', 2), doc('p:1', 2)]);
        expect(present).toEqual(new Set(['p:1', 'p:2']));
        expect(await generation.find('predictions', {})).toEqual([doc('p:1', 1), doc('p:2', 1), doc('p:3', 2)]);
        expect((await generation.revisions(['predictions'])).get('predictions')).toBeGreaterThan(
          before.get('predictions') ?? 0,
        );
        expect(await generation.insertNew('predictions', [])).toEqual(new Set());
      });

      it('insertNew lets exactly one of several racing writers insert each id', async () => {
        const [a, b, c] = await Promise.all([1, 2, 3].map(() => store.generation('live-1')));
        const docs = (writer: string) =>
          Array.from({ length: 2_500 }, (_, i): ViewDocument => ({ _id: `p:${i}`, writer }));
        const outcomes = await Promise.all(
          [a, b, c].map(async (generation, i) => ({
            writer: `w${i}`,
            present: await generation.insertNew('predictions', docs(`w${i}`)),
          })),
        );
        const stored = await a.find('predictions', {});
        expect(stored).toHaveLength(2_500);
        for (const { _id, writer } of stored) {
          // The writer whose document is stored is the one told it was new; every other was told it was there.
          for (const outcome of outcomes) expect(outcome.present.has(_id)).toBe(outcome.writer !== writer);
        }
      });

      it('refuses field paths that are not the views own, before applying any write of the batch', async () => {
        const { generation } = await twins();
        const good: ViewWrite = { op: 'replace', view: 'nodes', id: 'n:1', doc: { _id: 'n:1' } };
        for (const bad of [
          { op: 'set', view: 'nodes', id: 'n:2', fields: { 'labels.a.b$': 1 } },
          { op: 'set', view: 'nodes', id: 'n:2', fields: { '': 1 } },
          { op: 'set', view: 'nodes', id: 'n:2', fields: { 'a..b': 1 } },
        ] as ViewWrite[]) {
          await expect(generation.apply([good, bad])).rejects.toThrow(InvalidFieldPathError);
        }
        expect(await generation.count('nodes')).toBe(0);
        await expect(generation.find('nodes', { where: { 'a.$b': 1 } })).rejects.toThrow(InvalidFieldPathError);
        await expect(generation.find('nodes', { sort: [['$natural', 1]] })).rejects.toThrow(InvalidFieldPathError);
        await expect(generation.count('nodes', { 'x y': 1 })).rejects.toThrow(InvalidFieldPathError);
        await expect(generation.sum('nodes', {}, '$n', 'kind')).rejects.toThrow(InvalidFieldPathError);
        await expect(generation.sum('nodes', {}, 'n', 'kind.')).rejects.toThrow(InvalidFieldPathError);
      });
    });

    describe('queries', () => {
      const fixture: ViewDocument[] = [
        {
          _id: 'p1',
          modelVersionId: 'm1',
          at: '2024-01-01T00:00:01Z',
          score: 0.5,
          n: 3,
          labels: ['a', 'b'],
          deploymentId: 'd1',
        },
        {
          _id: 'p2',
          modelVersionId: 'm1',
          at: '2024-01-01T00:00:02Z',
          score: 0.75,
          n: -1,
          labels: ['b'],
          deploymentId: null,
        },
        { _id: 'p3', modelVersionId: 'm2', at: '2024-01-02T00:00:00Z', n: 10, labels: [], deploymentId: 'd2' },
        { _id: 'p4', modelVersionId: 'm2', at: '2024-01-01T00:00:01Z', score: 0.5, n: 3, labels: ['c', 'a'] },
        {
          _id: 'p5',
          modelVersionId: 'm3',
          at: '2023-12-31T23:59:59Z',
          score: 'high',
          n: 7,
          nested: { k: 'x' },
          deploymentId: 'd1',
        },
        {
          _id: 'p6',
          modelVersionId: 'm1',
          at: '2024-01-01T00:00:01Z',
          score: 0.5,
          n: 3,
          flag: true,
          nums: [1, 10],
          note: 'a\u0000b',
        },
      ];
      const withFixture = async () => {
        const subject = await twins();
        // Inserted out of id order: results must not depend on insertion order.
        await subject.apply(
          [...fixture].reverse().map((doc) => ({ op: 'replace', view: 'predictions', id: doc._id, doc })),
        );
        return subject;
      };

      it('gets documents by id, leaving absent ids out of the map', async () => {
        const { generation } = await withFixture();
        const found = await generation.get('predictions', ['p2', 'absent', 'p2', 'p5']);
        expect([...found.keys()].sort()).toEqual(['p2', 'p5']);
        expect(found.get('p5')).toEqual(fixture[4]);
        expect((await generation.get('predictions', [])).size).toBe(0);
      });

      it('matches equality on fields and nested paths, where null also matches a missing field', async () => {
        const { findBoth } = await withFixture();
        expect(await findBoth('predictions', { where: { modelVersionId: 'm1' } })).toEqual(['p1', 'p2', 'p6']);
        expect(await findBoth('predictions', { where: { deploymentId: null } })).toEqual(['p2', 'p4', 'p6']);
        expect(await findBoth('predictions', { where: { 'nested.k': 'x' } })).toEqual(['p5']);
        expect(await findBoth('predictions', { where: { flag: true } })).toEqual(['p6']);
        expect(await findBoth('predictions', { where: { modelVersionId: 'm1', n: 3 } })).toEqual(['p1', 'p6']);
        expect(await findBoth('predictions', { where: { note: 'a\u0000b' } })).toEqual(['p6']);
        expect(await findBoth('predictions', { where: { modelVersionId: 'nope' } })).toEqual([]);
      });

      it('matches membership, null included', async () => {
        const { findBoth } = await withFixture();
        expect(await findBoth('predictions', { where: { modelVersionId: { in: ['m2', 'm3'] } } })).toEqual([
          'p3',
          'p4',
          'p5',
        ]);
        expect(await findBoth('predictions', { where: { deploymentId: { in: [null, 'd2'] } } })).toEqual([
          'p2',
          'p3',
          'p4',
          'p6',
        ]);
        expect(await findBoth('predictions', { where: { modelVersionId: { in: [] } } })).toEqual([]);
      });

      it('matches ranges on strings and numbers, comparing only values of the bound type', async () => {
        const { findBoth } = await withFixture();
        expect(
          await findBoth('predictions', { where: { at: { gte: '2024-01-01T00:00:01Z', lt: '2024-01-02T00:00:00Z' } } }),
        ).toEqual(['p1', 'p2', 'p4', 'p6']);
        expect(await findBoth('predictions', { where: { at: { gt: '2024-01-01T00:00:01Z' } } })).toEqual(['p2', 'p3']);
        expect(await findBoth('predictions', { where: { at: { lte: '2024-01-01T00:00:00Z' } } })).toEqual(['p5']);
        expect(await findBoth('predictions', { where: { n: { gt: 3 } } })).toEqual(['p3', 'p5']);
        expect(await findBoth('predictions', { where: { n: { gt: -1, lte: 3 } } })).toEqual(['p1', 'p4', 'p6']);
        expect(await findBoth('predictions', { where: { score: { gte: 0.5 } } })).toEqual(['p1', 'p2', 'p4', 'p6']);
        expect(await findBoth('predictions', { where: { score: { gt: 'a' } } })).toEqual(['p5']);
        expect(
          await findBoth('predictions', { where: { modelVersionId: 'm1', at: { lt: '2024-01-01T00:00:02Z' } } }),
        ).toEqual(['p1', 'p6']);
      });

      it('holds a condition on an array field when one element satisfies it', async () => {
        const { findBoth } = await withFixture();
        expect(await findBoth('predictions', { where: { labels: 'a' } })).toEqual(['p1', 'p4']);
        expect(await findBoth('predictions', { where: { labels: { in: ['c', 'x'] } } })).toEqual(['p4']);
        expect(await findBoth('predictions', { where: { labels: { gte: 'b' } } })).toEqual(['p1', 'p2', 'p4']);
        expect(await findBoth('predictions', { where: { nums: { gt: 5 } } })).toEqual(['p6']);
        expect(await findBoth('predictions', { where: { nums: { lt: 1 } } })).toEqual([]);
      });

      it('sorts ascending and descending on several keys, missing first, ties broken by _id, then limits', async () => {
        const { findBoth } = await withFixture();
        expect(
          await findBoth('predictions', {
            sort: [
              ['score', -1],
              ['at', 1],
            ],
          }),
        ).toEqual(['p5', 'p2', 'p1', 'p4', 'p6', 'p3']);
        expect(await findBoth('predictions', { sort: [['score', 1]] })).toEqual(['p3', 'p1', 'p4', 'p6', 'p2', 'p5']);
        expect(
          await findBoth('predictions', {
            sort: [
              ['modelVersionId', 1],
              ['n', -1],
            ],
            limit: 4,
          }),
        ).toEqual(['p1', 'p6', 'p2', 'p3']);
        expect(
          await findBoth('predictions', {
            sort: [
              ['deploymentId', -1],
              ['_id', -1],
            ],
          }),
        ).toEqual(['p3', 'p5', 'p1', 'p6', 'p4', 'p2']);
        expect(await findBoth('predictions', { sort: [['flag', 1]] })).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
        expect(
          await findBoth('predictions', { where: { modelVersionId: 'm1' }, sort: [['at', -1]], limit: 2 }),
        ).toEqual(['p2', 'p1']);
        expect(await findBoth('predictions', { limit: 0 })).toEqual([]);
        expect(await findBoth('predictions', { limit: 100 })).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
      });

      it('counts the matching documents', async () => {
        const { generation, reference } = await withFixture();
        expect(await generation.count('predictions')).toBe(6);
        expect(await generation.count('predictions', { modelVersionId: 'm1' })).toBe(3);
        expect(await generation.count('predictions', { deploymentId: null, n: { gte: 3 } })).toBe(2);
        expect(await generation.count('predictions', { labels: 'b' })).toBe(
          await reference.count('predictions', { labels: 'b' }),
        );
        expect(await generation.count('alerts')).toBe(0);
      });

      it('sums a field per group, missing keys grouping as null, non-numbers adding nothing, sorted by key', async () => {
        const { generation, reference } = await withFixture();
        const byDeployment = await generation.sum('predictions', {}, 'n', 'deploymentId');
        expect(byDeployment).toEqual([
          { key: null, total: 5, count: 3 },
          { key: 'd1', total: 10, count: 2 },
          { key: 'd2', total: 10, count: 1 },
        ]);
        expect(byDeployment).toEqual(await reference.sum('predictions', {}, 'n', 'deploymentId'));
        const scores = await generation.sum(
          'predictions',
          { modelVersionId: { in: ['m1', 'm2', 'm3'] } },
          'score',
          'modelVersionId',
        );
        expect(scores).toEqual([
          { key: 'm1', total: 1.75, count: 3 },
          { key: 'm2', total: 0.5, count: 2 },
          { key: 'm3', total: 0, count: 1 },
        ]);
        expect(scores).toEqual(
          await reference.sum('predictions', { modelVersionId: { in: ['m1', 'm2', 'm3'] } }, 'score', 'modelVersionId'),
        );
        expect(await generation.sum('predictions', { n: 3 }, 'n', 'nested.k')).toEqual([
          { key: null, total: 9, count: 3 },
        ]);
        expect(await generation.sum('predictions', { modelVersionId: 'nope' }, 'n', 'modelVersionId')).toEqual([]);
      });
    });

    describe('queries on the views that grow with the predictions', () => {
      it('answers an in over a few values as one query would, sorted, limited, counted and summed', async () => {
        const { apply, findBoth, generation, reference } = await twins();
        const losses = Array.from({ length: 24 }, (_, i) => ({
          _id: `e${i % 4}|pred-${String(i).padStart(2, '0')}`,
          eventId: `e${i % 4}`,
          predictionId: `pred-${String(i).padStart(2, '0')}`,
          modelVersionId: `m${i % 3}`,
          recordedAt: `2024-01-0${1 + (i % 5)}T00:00:00Z`,
        }));
        await apply(losses.map((doc) => ({ op: 'replace', view: 'prediction_losses', id: doc._id, doc })));
        const where = { modelVersionId: { in: ['m0', 'm2', 'm0', 'absent'] } };
        expect(await findBoth('prediction_losses', { where })).toHaveLength(16);
        expect(await findBoth('prediction_losses', { where, sort: [['recordedAt', -1]], limit: 5 })).toHaveLength(5);
        expect(await findBoth('prediction_losses', { where: { ...where, eventId: 'e1' } })).toHaveLength(4);
        for (const query of [where, { ...where, recordedAt: { gte: '2024-01-03T00:00:00Z' } }]) {
          expect(await generation.count('prediction_losses', query)).toBe(
            await reference.count('prediction_losses', query),
          );
          expect(await generation.sum('prediction_losses', query, 'count', 'eventId')).toEqual(
            await reference.sum('prediction_losses', query, 'count', 'eventId'),
          );
        }
      });
    });

    describe('user data', () => {
      const userMaps = {
        hyperparameters: {
          'optimizer.lr': 0.001,
          $scale: 2,
          '': 'empty key',
          '%x': '%41',
          '%a': [1],
          '%s': 'marker-like',
          a$b: true,
          __proto__x: 1,
        },
        metrics: { 'val.loss': [[1, [2]], []], 'tp.rate': { '.': { $: [null, [[]]] } } },
        labels: { team: 'vision', 'owner.email': 'a@b.c', ünïcødé: 'héllo wörld 🎉 中文', '\u0000key': 'nul key' },
        params: { text: 'with\u0000nul', lone: '\uD800 half', emoji: '👩‍🔬', percent: '100%25', dollar: '$set' },
        outputs: { deep: deepValue(20) },
      };

      it('gives back user maps exactly, whatever their keys and values, through replace and set', async () => {
        const { generation, apply, snapshots } = await twins();
        const doc: ViewDocument = { _id: 'mv:1', runId: 'run:1', ...structuredClone(userMaps) };
        await apply([
          { op: 'replace', view: 'model_lineage', id: 'mv:1', doc },
          {
            op: 'set',
            view: 'model_lineage',
            id: 'mv:2',
            fields: { runId: 'run:2', 'inputs.hyperparameters': userMaps.hyperparameters, outputs: userMaps.outputs },
          },
        ]);
        const found = await generation.get('model_lineage', ['mv:1', 'mv:2']);
        expect(found.get('mv:1')).toEqual(doc);
        expect(JSON.stringify(found.get('mv:1'))).toBe(JSON.stringify(doc));
        expect(found.get('mv:2')).toEqual({
          _id: 'mv:2',
          runId: 'run:2',
          inputs: { hyperparameters: userMaps.hyperparameters },
          outputs: userMaps.outputs,
        });
        expect(await generation.find('model_lineage', { where: { runId: 'run:1' } })).toEqual([doc]);
        const { stored, expected } = await snapshots('model_lineage');
        expect(stored).toEqual(expected);
      });
    });

    describeGenerationsContract(() => store);
  });
}

/** Objects and arrays nested `depth` deep, arrays directly inside arrays included. */
function deepValue(depth: number): unknown {
  let value: unknown = { leaf: 'bottom', 'dotted.key': [1, [2, [3]]] };
  for (let level = 0; level < depth; level += 1) {
    value = level % 3 === 0 ? [value, [level]] : level % 3 === 1 ? { [`k.${level}`]: value } : { level, next: value };
  }
  return value;
}
