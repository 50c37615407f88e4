import { VIEW_NAMES } from '@prov/projections';
import { ActiveGenerationDropError, InvalidGenerationNameError, UnknownGenerationError } from './lineage-store.errors';
import type { LineageStore } from './lineage-store.port';

/**
 * The part of the LineageStore contract about generations: keeping them
 * apart, their offsets, activation, revisions, dropping and info. Run by
 * `describeLineageStoreContract` inside its suite, with the store each of
 * its tests opened.
 */
export function describeGenerationsContract(current: () => LineageStore): void {
  describe('generations', () => {
    let store: LineageStore;
    beforeEach(() => {
      store = current();
    });

    it('keeps generations apart: views and offsets written to one are not seen by another', async () => {
      const blue = await store.generation('blue');
      const green = await store.generation('green');
      await blue.apply([{ op: 'replace', view: 'nodes', id: 'n:1', doc: { _id: 'n:1', kind: 'blue' } }]);
      await green.apply([{ op: 'replace', view: 'nodes', id: 'n:1', doc: { _id: 'n:1', kind: 'green' } }]);
      await green.apply([{ op: 'replace', view: 'nodes', id: 'n:2', doc: { _id: 'n:2', kind: 'green' } }]);
      expect(await blue.find('nodes', {})).toEqual([{ _id: 'n:1', kind: 'blue' }]);
      expect(await green.count('nodes')).toBe(2);
      await blue.saveOffsets([{ topic: 't', partition: 0, offset: '5' }]);
      expect(await green.loadOffsets()).toEqual([]);
      const blueAgain = await store.generation('blue');
      expect(await blueAgain.find('nodes', {})).toEqual([{ _id: 'n:1', kind: 'blue' }]);
      expect(await blueAgain.loadOffsets()).toEqual([{ topic: 't', partition: 0, offset: '5' }]);
      expect(blueAgain.name).toBe('blue');
    });

    it('saves and loads consumed offsets per generation, the last save of a partition winning, sorted', async () => {
      const live = await store.generation('live-1');
      expect(await live.loadOffsets()).toEqual([]);
      await live.saveOffsets([
        { topic: 'provenance.training.v1', partition: 1, offset: '10' },
        { topic: 'provenance.inference.v1', partition: 0, offset: '7' },
        { topic: 'provenance.training.v1', partition: 0, offset: '3' },
      ]);
      await live.saveOffsets([{ topic: 'provenance.training.v1', partition: 1, offset: '12345678901234567890' }]);
      await live.saveOffsets([]);
      expect(await live.loadOffsets()).toEqual([
        { topic: 'provenance.inference.v1', partition: 0, offset: '7' },
        { topic: 'provenance.training.v1', partition: 0, offset: '3' },
        { topic: 'provenance.training.v1', partition: 1, offset: '12345678901234567890' },
      ]);
      const other = await store.generation('live-2');
      await other.saveOffsets([{ topic: 'provenance.training.v1', partition: 1, offset: '1' }]);
      expect((await live.loadOffsets())[2]).toEqual({
        topic: 'provenance.training.v1',
        partition: 1,
        offset: '12345678901234567890',
      });
    });

    it('has no active generation at first, then the last activated one', async () => {
      expect(await store.activeGeneration()).toBeUndefined();
      await store.generation('live-1');
      await store.generation('live-2');
      await store.activate('live-1');
      expect(await store.activeGeneration()).toBe('live-1');
      await store.activate('live-2');
      await store.activate('live-2');
      expect(await store.activeGeneration()).toBe('live-2');
      await expect(store.activate('never-opened')).rejects.toThrow(UnknownGenerationError);
      expect(await store.activeGeneration()).toBe('live-2');
    });

    it('a generation named "active" is a generation like any other', async () => {
      await store.generation('active');
      await store.activate('active');
      expect(await store.activeGeneration()).toBe('active');
      expect((await store.generations()).map((info) => info.name)).toEqual(['active']);
    });

    it('counts, per view and generation, the apply calls that changed it', async () => {
      const live = await store.generation('live');
      const other = await store.generation('other');
      expect(await live.revisions(['nodes', 'model_lineage'])).toEqual(
        new Map([
          ['nodes', 0],
          ['model_lineage', 0],
        ]),
      );
      await live.apply([
        { op: 'set', view: 'nodes', id: 'n:1', fields: { kind: 'deployment' } },
        { op: 'set', view: 'nodes', id: 'n:2', fields: { kind: 'deployment' } },
        { op: 'delete', view: 'model_lineage', id: 'm:1' },
      ]);
      await live.apply([{ op: 'set', view: 'nodes', id: 'n:1', fields: { stage: 'production' } }]);
      await live.apply([]);
      await other.apply([{ op: 'delete', view: 'edges', id: 'e:1' }]);
      expect(await live.revisions(['nodes', 'model_lineage', 'edges'])).toEqual(
        new Map([
          ['nodes', 2],
          ['model_lineage', 1],
          ['edges', 0],
        ]),
      );
      expect((await other.revisions(['edges', 'nodes'])).get('edges')).toBe(1);
      expect((await other.revisions(['nodes'])).get('nodes')).toBe(0);
    });

    it('drops a generation: views, offsets and info; it reopens empty', async () => {
      const old = await store.generation('old');
      const live = await store.generation('live');
      await old.apply([{ op: 'replace', view: 'predictions', id: 'p:1', doc: { _id: 'p:1', modelVersionId: 'm' } }]);
      await old.saveOffsets([{ topic: 't', partition: 0, offset: '9' }]);
      await live.apply([{ op: 'replace', view: 'predictions', id: 'p:1', doc: { _id: 'p:1', modelVersionId: 'm' } }]);
      await store.activate('live');
      await store.dropGeneration('old');
      expect((await store.generations()).map((info) => info.name)).toEqual(['live']);
      await expect(store.markCaughtUp('old', '2024-01-01T00:00:00Z')).rejects.toThrow(UnknownGenerationError);
      const reopened = await store.generation('old');
      expect(await reopened.count('predictions')).toBe(0);
      expect(await reopened.loadOffsets()).toEqual([]);
      expect((await reopened.revisions(['predictions'])).get('predictions')).toBe(0);
      expect(await live.count('predictions')).toBe(1);
      expect((await live.revisions(['predictions'])).get('predictions')).toBe(1);
      await store.dropGeneration('never-opened');
    });

    it('refuses to drop the active generation, and keeps it whole', async () => {
      const live = await store.generation('live');
      await live.apply([{ op: 'replace', view: 'nodes', id: 'n:1', doc: { _id: 'n:1' } }]);
      await store.activate('live');
      const error = await store.dropGeneration('live').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ActiveGenerationDropError);
      expect(error).toMatchObject({ kind: 'conflict', retriable: false });
      expect(await live.count('nodes')).toBe(1);
      expect(await store.activeGeneration()).toBe('live');
    });

    it('records generation info, sorted by name, and when each caught up', async () => {
      const before = new Date().toISOString();
      await store.generation('rebuild-2');
      await store.generation('audit-2024', { kind: 'audit', asOf: '2024-06-30T23:59:59Z' });
      await store.generation('live-1', { kind: 'live' });
      const after = new Date().toISOString();
      await store.markCaughtUp('rebuild-2', '2024-07-01T00:00:00Z');
      await store.generation('audit-2024', { kind: 'live' });
      const infos = await store.generations();
      expect(infos.map(({ createdAt: _createdAt, ...rest }) => rest)).toEqual([
        { name: 'audit-2024', kind: 'audit', asOf: '2024-06-30T23:59:59Z' },
        { name: 'live-1', kind: 'live' },
        { name: 'rebuild-2', kind: 'live', caughtUpAt: '2024-07-01T00:00:00Z' },
      ]);
      for (const { createdAt } of infos) {
        expect(new Date(createdAt).toISOString()).toBe(createdAt);
        expect(createdAt >= before && createdAt <= after).toBe(true);
      }
      await expect(store.markCaughtUp('missing', '2024-07-01T00:00:00Z')).rejects.toThrow(UnknownGenerationError);
    });

    it('holds no active generation at first, then the documents of each view of the active one and its offsets', async () => {
      const empty = await store.holdings();
      expect(empty.active).toBeNull();
      const live = await store.generation('live-1');
      const other = await store.generation('live-2');
      await live.apply([
        ...['n:1', 'n:2', 'n:3'].map((id) => ({
          op: 'replace' as const,
          view: 'nodes' as const,
          id,
          doc: { _id: id },
        })),
        { op: 'set', view: 'edges', id: 'e:1', fields: { from: 'n:1', to: 'n:2' } },
        { op: 'set', view: 'edges', id: 'e:2', fields: { from: 'n:2', to: 'n:3' } },
        { op: 'replace', view: 'predictions', id: 'p:1', doc: { _id: 'p:1' } },
      ]);
      await live.apply([{ op: 'delete', view: 'predictions', id: 'p:1' }]);
      await live.insertNew('folded_events', [{ _id: 'ev:1' }, { _id: 'ev:2' }]);
      await live.saveOffsets([
        { topic: 'provenance.training.v1', partition: 1, offset: '4' },
        { topic: 'provenance.inference.v1', partition: 0, offset: '12' },
      ]);
      await other.apply([{ op: 'replace', view: 'nodes', id: 'n:9', doc: { _id: 'n:9' } }]);
      expect((await store.holdings()).active).toBeNull();

      await store.activate('live-1');
      const held = await store.holdings();
      const none = Object.fromEntries(VIEW_NAMES.map((view) => [view, 0]));
      expect(held.kind).toBe(empty.kind);
      expect(held.active).toEqual({
        name: 'live-1',
        documents: { ...none, nodes: 3, edges: 2, folded_events: 2 },
        offsets: [
          { topic: 'provenance.inference.v1', partition: 0, offset: '12' },
          { topic: 'provenance.training.v1', partition: 1, offset: '4' },
        ],
      });
      // A store on disk counts what it takes there; one in memory says it takes nothing.
      if (held.bytesOnDisk !== null) expect(held.bytesOnDisk).toBeGreaterThan(0);
      else expect(empty.bytesOnDisk).toBeNull();

      await store.activate('live-2');
      expect((await store.holdings()).active).toEqual({
        name: 'live-2',
        documents: { ...none, nodes: 1 },
        offsets: [],
      });
    });

    it('refuses invalid generation names with a typed error', async () => {
      for (const name of ['', 'Live', '-live', 'live_1', 'live.1', 'a'.repeat(49), 'live|1', 'live 1', 'é']) {
        await expect(store.generation(name)).rejects.toThrow(InvalidGenerationNameError);
        await expect(store.activate(name)).rejects.toThrow(InvalidGenerationNameError);
        await expect(store.markCaughtUp(name, '2024-01-01T00:00:00Z')).rejects.toThrow(InvalidGenerationNameError);
        await expect(store.dropGeneration(name)).rejects.toThrow(InvalidGenerationNameError);
      }
      const longest = await store.generation('a'.repeat(48));
      expect(longest.name).toBe('a'.repeat(48));
      expect((await store.generations()).map((info) => info.name)).toEqual(['a'.repeat(48)]);
    });
  });
}
