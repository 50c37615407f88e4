import { describeAuditLogContract } from '../audit-log.contract';
import { describeLineageStoreContract } from '../lineage-store.contract';
import { InMemoryLineageStore } from './in-memory-lineage-store';

describeLineageStoreContract('in memory', async () => new InMemoryLineageStore());

describeAuditLogContract('in memory', async () => new InMemoryLineageStore());
