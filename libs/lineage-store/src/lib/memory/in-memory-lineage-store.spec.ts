import { describeAuditLogContract } from '../audit-log.contract';
import { describeDeadLetterStoreContract } from '../dead-letters/dead-letter-store.contract';
import { describeLineageStoreContract } from '../lineage-store.contract';
import { InMemoryLineageStore } from './in-memory-lineage-store';

describeLineageStoreContract('in memory', async () => new InMemoryLineageStore());

describeAuditLogContract('in memory', async () => new InMemoryLineageStore());

describeDeadLetterStoreContract('in memory', async () => new InMemoryLineageStore());

describe('InMemoryLineageStore holdings', () => {
  it('say it is the in-memory store and takes no bytes on disk', async () => {
    const store = new InMemoryLineageStore();
    await (await store.generation('live-1')).apply([{ op: 'replace', view: 'nodes', id: 'n:1', doc: { _id: 'n:1' } }]);
    await store.activate('live-1');
    expect(await store.holdings()).toMatchObject({
      kind: 'memory',
      active: { name: 'live-1', documents: { nodes: 1 } },
      bytesOnDisk: null,
    });
  });
});
