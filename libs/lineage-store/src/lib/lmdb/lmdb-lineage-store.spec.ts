import { mkdtempSync, rmSync } from 'node:fs';
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
