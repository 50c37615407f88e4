import type { SignedCheckpoint, SubtreeAddress } from '@prov/integrity';
import {
  nodeKey,
  type AuditKey,
  type AuditLeaf,
  type AuditLogState,
  type AuditLogStore,
  type AuditNode,
  type AuditRecord,
} from '../audit-log.port';
import type { LmdbEnvironment } from './lmdb-environment';

/**
 * The audit log in the embedded store's `audit` database, keyed
 * `['state', log]`, `['record', log, index]`, `['leaf', eventId] -> [log, index]`,
 * `['node', log, level, index]`, `['key', keyId]`, `['checkpoint', log, treeSize]`.
 * An append is one transaction: its leaves, nodes and state land together.
 */
export class LmdbAuditLog implements AuditLogStore {
  private readonly db;

  constructor(private readonly environment: LmdbEnvironment) {
    this.db = environment.openJson<unknown>('audit');
  }

  async states(): Promise<AuditLogState[]> {
    return this.values<AuditLogState>(['state']).sort((a, b) => a.logId.localeCompare(b.logId));
  }

  async state(logId: string): Promise<AuditLogState | undefined> {
    return this.db.get(['state', logId]) as AuditLogState | undefined;
  }

  async append(records: AuditRecord[], nodes: AuditNode[], state: AuditLogState): Promise<void> {
    await this.environment.durably(() => {
      for (const record of records) {
        this.db.putSync(['record', record.logId, record.index], record);
        this.db.putSync(['leaf', record.eventId], [record.logId, record.index]);
        this.db.putSync(['node', record.logId, 0, record.index], record.leafHash);
      }
      for (const node of nodes) this.db.putSync(['node', node.logId, node.level, node.index], node.hash);
      this.db.putSync(['state', state.logId], state);
    });
  }

  async leafByEventId(eventId: string): Promise<AuditLeaf | undefined> {
    const record = await this.recordByEventId(eventId);
    if (!record) return undefined;
    const { envelope: _envelope, ...leaf } = record;
    return leaf;
  }

  async recordByEventId(eventId: string): Promise<AuditRecord | undefined> {
    const at = this.db.get(['leaf', eventId]) as [string, number] | undefined;
    return at && (this.db.get(['record', ...at]) as AuditRecord | undefined);
  }

  async records(logId: string, from: number, limit: number): Promise<AuditRecord[]> {
    const found: AuditRecord[] = [];
    for (const { value } of this.db.getRange({
      start: ['record', logId, from],
      end: ['record', logId, Infinity],
      limit,
    })) {
      const record = value as AuditRecord;
      // Dense from `from`: a gap ends the run.
      if (record.index !== from + found.length) break;
      found.push(record);
    }
    return found;
  }

  async saveKeys(keys: AuditKey[]): Promise<void> {
    await this.environment.durably(() => {
      for (const key of keys) if (!this.db.doesExist(['key', key.keyId])) this.db.putSync(['key', key.keyId], key);
    });
  }

  async keys(): Promise<AuditKey[]> {
    return this.values<AuditKey>(['key']).sort((a, b) => a.keyId.localeCompare(b.keyId));
  }

  async nodes(logId: string, addresses: readonly SubtreeAddress[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const { level, index } of addresses) {
      const hash = this.db.get(['node', logId, level, index]) as string | undefined;
      if (hash !== undefined) found.set(nodeKey(level, index), hash);
    }
    return found;
  }

  async saveCheckpoint(checkpoint: SignedCheckpoint): Promise<void> {
    const key = ['checkpoint', checkpoint.logId, checkpoint.treeSize];
    await this.environment.durably(() => {
      if (!this.db.doesExist(key)) this.db.putSync(key, checkpoint);
    });
  }

  async latestCheckpoints(): Promise<SignedCheckpoint[]> {
    const latest = new Map<string, SignedCheckpoint>();
    for (const checkpoint of this.values<SignedCheckpoint>(['checkpoint'])) latest.set(checkpoint.logId, checkpoint);
    return [...latest.keys()].sort().map((logId) => latest.get(logId) as SignedCheckpoint);
  }

  async latestCheckpoint(logId: string): Promise<SignedCheckpoint | undefined> {
    for (const { value } of this.db.getRange({
      start: ['checkpoint', logId, Infinity],
      end: ['checkpoint', logId],
      reverse: true,
      limit: 1,
    }))
      return value as SignedCheckpoint;
    return undefined;
  }

  async checkpoint(logId: string, treeSize: number): Promise<SignedCheckpoint | undefined> {
    return this.db.get(['checkpoint', logId, treeSize]) as SignedCheckpoint | undefined;
  }

  async checkpoints(logId: string): Promise<SignedCheckpoint[]> {
    return this.values<SignedCheckpoint>(['checkpoint', logId]);
  }

  /** The values of every key that begins with `prefix`, in key order. */
  private values<T>(prefix: Array<string | number>): T[] {
    const last = prefix[prefix.length - 1];
    const end = [...prefix.slice(0, -1), `${last}\u0000`];
    return [...this.db.getRange({ start: prefix, end })].map(({ value }) => value as T);
  }
}
