import fc from 'fast-check';
import { InMemoryViews, type FieldCondition, type ViewDocument, type ViewQuery } from '@prov/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbLineageStore } from './lmdb-lineage-store';

const root = mkdtempSync(join(tmpdir(), 'lmdb-view-indexes-'));
let opened = 0;
const open = () => LmdbLineageStore.open(join(root, String(++opened)));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Values of both types on the indexed fields, arrays and missing fields included, and strings longer than an index entry keeps.
const long = (c: string) => `model:${c.repeat(300)}`;
const value = fc.oneof(
  fc.constantFrom('m1', 'm2', 'm10', long('a'), long('b'), `${long('a')}z`, 1, 2, 10, -1, 1.5, true, null),
  fc.constantFrom('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z'),
);
const field = fc.constantFrom('modelVersionId', 'recordedAt', 'deploymentId', 'n');
const doc = fc.record(
  {
    modelVersionId: fc.oneof(value, fc.array(value, { maxLength: 3 })),
    recordedAt: value,
    deploymentId: value,
    n: value,
  },
  { requiredKeys: [] },
);
/** Ranges mostly with bounds of one type, as the views' queries have them, so that the index serves them. */
const bounds = (values: fc.Arbitrary<string | number>) =>
  fc.record({ gt: values, gte: values, lt: values, lte: values }, { requiredKeys: [] });
const condition: fc.Arbitrary<FieldCondition> = fc.oneof(
  value,
  fc.record({ in: fc.array(value, { maxLength: 3 }) }),
  bounds(fc.constantFrom('m1', 'm2', long('a'), '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z')),
  bounds(fc.constantFrom(-1, 1, 2, 10)),
  fc.record({ gt: value, lte: value }, { requiredKeys: [] }),
);
const query: fc.Arbitrary<ViewQuery> = fc.record(
  {
    where: fc.dictionary(field, condition, { maxKeys: 2 }),
    sort: fc.array(fc.tuple(field, fc.constantFrom<1 | -1>(1, -1)), { maxLength: 2 }),
    limit: fc.nat(5),
  },
  { requiredKeys: ['where'] },
);

describe('LmdbLineageStore indexes', () => {
  it('finds, counts and sums through its indexes exactly what InMemoryViews finds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(doc, { maxLength: 25 }),
        fc.array(query, { minLength: 1, maxLength: 5 }),
        async (docs, queries) => {
          const store = await open();
          try {
            const generation = await store.generation('live');
            const reference = new InMemoryViews();
            const writes = docs.map((d, i) => ({
              op: 'replace' as const,
              view: 'prediction_batches' as const,
              id: `b:${i}`,
              doc: { _id: `b:${i}`, ...d } as ViewDocument,
            }));
            // Written, then half rewritten and some deleted, so that stale index entries would show.
            for (const batch of [
              writes,
              writes.filter((_, i) => i % 2 === 0).map((w) => ({ ...w, doc: { ...w.doc, n: 7 } })),
            ]) {
              await generation.apply(batch);
              await reference.apply(batch);
            }
            const deletes = writes
              .filter((_, i) => i % 3 === 0)
              .map((w) => ({ op: 'delete' as const, view: w.view, id: w.id }));
            await generation.apply(deletes);
            await reference.apply(deletes);
            for (const q of queries) {
              expect(await generation.find('prediction_batches', q)).toEqual(
                await reference.find('prediction_batches', q),
              );
              expect(await generation.count('prediction_batches', q.where)).toBe(
                await reference.count('prediction_batches', q.where),
              );
              expect(await generation.sum('prediction_batches', q.where, 'n', 'deploymentId')).toEqual(
                await reference.sum('prediction_batches', q.where, 'n', 'deploymentId'),
              );
            }
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 100 },
    );
    // A hundred stores opened and written: seconds on a loaded machine.
  }, 60_000);

  it('keeps views, offsets, revisions, the active generation and the audit log across a reopening', async () => {
    const directory = join(root, 'reopened');
    const first = await LmdbLineageStore.open(directory);
    const live = await first.generation('live-1');
    await live.apply([{ op: 'set', view: 'nodes', id: 'n:1', fields: { kind: 'model', 'labels.a.b': [[1]] } }]);
    await live.insertNew('predictions', [{ _id: 'p:1', batchId: 'b:1' }]);
    await live.saveOffsets([{ topic: 'provenance.inference.v1', partition: 3, offset: '42' }]);
    await first.activate('live-1');
    await first.deadLetters.keep([], { topic: 'provenance.deadletter.v1', partition: 0, offset: '5' });
    await first.close();

    const second = await LmdbLineageStore.open(directory);
    try {
      expect(await second.activeGeneration()).toBe('live-1');
      const reopened = await second.generation('live-1');
      expect(await reopened.find('nodes', { where: { kind: 'model' } })).toEqual([
        { _id: 'n:1', kind: 'model', labels: { a: { b: [[1]] } } },
      ]);
      expect(await reopened.get('predictions', ['p:1'])).toEqual(new Map([['p:1', { _id: 'p:1', batchId: 'b:1' }]]));
      expect(await reopened.loadOffsets()).toEqual([{ topic: 'provenance.inference.v1', partition: 3, offset: '42' }]);
      expect(await reopened.revisions(['nodes', 'predictions'])).toEqual(
        new Map([
          ['nodes', 1],
          ['predictions', 1],
        ]),
      );
      expect(await second.deadLetters.positions()).toEqual([
        { topic: 'provenance.deadletter.v1', partition: 0, offset: '5' },
      ]);
    } finally {
      await second.close();
    }
  });
});
