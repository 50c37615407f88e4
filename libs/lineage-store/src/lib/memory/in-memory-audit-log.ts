import type { SignedCheckpoint, SubtreeAddress } from '@prov/integrity';
import { AuditKey, AuditLeaf, AuditLogState, AuditLogStore, AuditNode, AuditRecord, nodeKey } from '../audit-log.port';

/** The embedded mode's audit log: in process memory, rebuilt from the event log at start like the views. */
export class InMemoryAuditLog implements AuditLogStore {
  private readonly logs = new Map<string, AuditLogState>();
  private readonly hashes = new Map<string, string>();
  private readonly leaves = new Map<string, AuditRecord>();
  private readonly byIndex = new Map<string, AuditRecord>();
  private readonly keysById = new Map<string, AuditKey>();
  private readonly byLog = new Map<string, SignedCheckpoint[]>();

  async states(): Promise<AuditLogState[]> {
    return [...this.logs.values()].sort((a, b) => a.logId.localeCompare(b.logId)).map((s) => structuredClone(s));
  }

  async state(logId: string): Promise<AuditLogState | undefined> {
    const state = this.logs.get(logId);
    return state && structuredClone(state);
  }

  async append(records: AuditRecord[], nodes: AuditNode[], state: AuditLogState): Promise<void> {
    for (const record of records) {
      this.leaves.set(record.eventId, { ...record });
      this.byIndex.set(`${record.logId}#${record.index}`, { ...record });
      this.hashes.set(`${record.logId}#${nodeKey(0, record.index)}`, record.leafHash);
    }
    for (const node of nodes) this.hashes.set(`${node.logId}#${nodeKey(node.level, node.index)}`, node.hash);
    this.logs.set(state.logId, structuredClone(state));
  }

  async leafByEventId(eventId: string): Promise<AuditLeaf | undefined> {
    const record = this.leaves.get(eventId);
    if (!record) return undefined;
    const { envelope: _envelope, ...leaf } = record;
    return leaf;
  }

  async recordByEventId(eventId: string): Promise<AuditRecord | undefined> {
    const record = this.leaves.get(eventId);
    return record && { ...record };
  }

  async records(logId: string, from: number, limit: number): Promise<AuditRecord[]> {
    const found: AuditRecord[] = [];
    for (let index = from; found.length < limit; index++) {
      const record = this.byIndex.get(`${logId}#${index}`);
      if (!record) break;
      found.push({ ...record });
    }
    return found;
  }

  async saveKeys(keys: AuditKey[]): Promise<void> {
    for (const key of keys) if (!this.keysById.has(key.keyId)) this.keysById.set(key.keyId, { ...key });
  }

  async keys(): Promise<AuditKey[]> {
    return [...this.keysById.values()].sort((a, b) => a.keyId.localeCompare(b.keyId)).map((k) => ({ ...k }));
  }

  async nodes(logId: string, addresses: readonly SubtreeAddress[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const { level, index } of addresses) {
      const hash = this.hashes.get(`${logId}#${nodeKey(level, index)}`);
      if (hash !== undefined) found.set(nodeKey(level, index), hash);
    }
    return found;
  }

  async saveCheckpoint(checkpoint: SignedCheckpoint): Promise<void> {
    const list = this.byLog.get(checkpoint.logId) ?? [];
    if (!list.some((c) => c.treeSize === checkpoint.treeSize)) list.push({ ...checkpoint });
    list.sort((a, b) => a.treeSize - b.treeSize);
    this.byLog.set(checkpoint.logId, list);
  }

  async latestCheckpoints(): Promise<SignedCheckpoint[]> {
    return [...this.byLog.keys()]
      .sort()
      .map((logId) => this.byLog.get(logId) as SignedCheckpoint[])
      .map((list) => ({ ...list[list.length - 1] }));
  }

  async latestCheckpoint(logId: string): Promise<SignedCheckpoint | undefined> {
    const list = this.byLog.get(logId);
    return list && { ...list[list.length - 1] };
  }

  async checkpoint(logId: string, treeSize: number): Promise<SignedCheckpoint | undefined> {
    const found = this.byLog.get(logId)?.find((c) => c.treeSize === treeSize);
    return found && { ...found };
  }

  async checkpoints(logId: string): Promise<SignedCheckpoint[]> {
    return (this.byLog.get(logId) ?? []).map((c) => ({ ...c }));
  }
}
