import { describeAuditLogContract } from '../audit-log.contract';
import { describeDeadLetterStoreContract } from '../dead-letters/dead-letter-store.contract';
import { describeLineageStoreContract } from '../lineage-store.contract';
import { InMemoryLineageStore } from './in-memory-lineage-store';

describeLineageStoreContract('in memory', async () => new InMemoryLineageStore());

describeAuditLogContract('in memory', async () => new InMemoryLineageStore());

describeDeadLetterStoreContract('in memory', async () => new InMemoryLineageStore());
