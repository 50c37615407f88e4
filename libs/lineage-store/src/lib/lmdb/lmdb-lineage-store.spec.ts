import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAuditLogContract } from '../audit-log.contract';
import { describeDeadLetterStoreContract } from '../dead-letters/dead-letter-store.contract';
import { describeLineageStoreContract } from '../lineage-store.contract';
import { LmdbLineageStore } from './lmdb-lineage-store';

const root = mkdtempSync(join(tmpdir(), 'lmdb-lineage-store-'));
let opened = 0;
/** A new, empty store in a directory of its own. */
const open = () => LmdbLineageStore.open(join(root, String(++opened)));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeLineageStoreContract('lmdb', open);

describeAuditLogContract('lmdb', open);

describeDeadLetterStoreContract('lmdb', open);

describe('LmdbLineageStore holdings', () => {
  it('count the bytes of its data file, and the same documents once reopened', async () => {
    const directory = join(root, 'holdings');
    const store = await LmdbLineageStore.open(directory);
    const live = await store.generation('live-1');
    await live.apply(
      Array.from({ length: 500 }, (_, i) => ({
        op: 'replace' as const,
        view: 'predictions' as const,
        id: `p:${i}`,
        doc: { _id: `p:${i}`, modelVersionId: 'model:churn@1', features: 'x'.repeat(200) },
      })),
    );
    await store.activate('live-1');
    const held = await store.holdings();
    expect(held).toMatchObject({ kind: 'lmdb', active: { name: 'live-1', documents: { predictions: 500, nodes: 0 } } });
    expect(held.bytesOnDisk).toBe(statSync(join(directory, 'views.mdb')).size);
    // 500 documents of over 200 bytes each.
    expect(held.bytesOnDisk).toBeGreaterThan(100_000);
    await store.close();

    const reopened = await LmdbLineageStore.open(directory);
    try {
      expect((await reopened.holdings()).active).toEqual(held.active);
    } finally {
      await reopened.close();
    }
  });
});
