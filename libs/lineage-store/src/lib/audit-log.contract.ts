import type { SignedCheckpoint } from '@prov/integrity';
import type { AuditLeaf, AuditLogStore, AuditRecord } from './audit-log.port';

/**
 * What every AuditLogStore adapter owes the projector and the gateway, as
 * one Jest suite each adapter's spec runs against itself. `open` gives an
 * empty audit log.
 */
export function describeAuditLogContract(
  adapterName: string,
  open: () => Promise<{ auditLog: AuditLogStore; close(): Promise<void> }>,
): void {
  describe(`AuditLogStore contract: ${adapterName}`, () => {
    let opened: { auditLog: AuditLogStore; close(): Promise<void> };
    let log: AuditLogStore;
    beforeEach(async () => {
      opened = await open();
      log = opened.auditLog;
    });
    afterEach(() => opened.close());

    const logId = 'auditlog:provenance.inference.v1/2';
    const hex = (c: string) => c.repeat(64);
    const record = (index: number): AuditRecord => ({
      logId,
      index,
      eventId: `0190f1a4-8c1e-7b2a-9c3d-4e5f607182${String(index).padStart(2, '0')}`,
      offset: String(index * 2),
      leafHash: hex(String(index % 10)),
      envelope: JSON.stringify({ eventId: index, payload: { 'a.b': [[1]], $c: 'x' } }),
    });
    const leaf = (index: number): AuditLeaf => {
      const { envelope: _envelope, ...rest } = record(index);
      return rest;
    };
    const state = (treeSize: number, frontier: Array<string | null>) => ({
      logId,
      topic: 'provenance.inference.v1',
      partition: 2,
      treeSize,
      frontier,
      nextOffset: String(treeSize * 2),
    });
    const checkpoint = (treeSize: number): SignedCheckpoint => ({
      logId,
      treeSize,
      rootHash: hex('f'),
      signedAt: `2026-12-01T10:00:0${treeSize % 10}.000Z`,
      keyId: 'ed25519:0123456789abcdef',
      signature: 'A'.repeat(86),
    });

    it('starts empty', async () => {
      expect(await log.states()).toEqual([]);
      expect(await log.state(logId)).toBeUndefined();
      expect(await log.latestCheckpoints()).toEqual([]);
      expect(await log.leafByEventId(leaf(0).eventId)).toBeUndefined();
    });

    it('keeps leaves, subtree roots and the state, frontier gaps included', async () => {
      await log.append(
        [record(0), record(1), record(2)],
        [{ logId, level: 1, index: 0, hash: hex('a') }],
        state(3, [hex('2'), hex('a')]),
      );
      expect(await log.state(logId)).toEqual(state(3, [hex('2'), hex('a')]));
      await log.append(
        [record(3)],
        [
          { logId, level: 1, index: 1, hash: hex('b') },
          { logId, level: 2, index: 0, hash: hex('c') },
        ],
        state(4, [null, null, hex('c')]),
      );
      expect(await log.states()).toEqual([state(4, [null, null, hex('c')])]);
      const nodes = await log.nodes(logId, [
        { level: 0, index: 3 },
        { level: 1, index: 0 },
        { level: 2, index: 0 },
        { level: 2, index: 1 },
      ]);
      expect(Object.fromEntries(nodes)).toEqual({ '0/3': hex('3'), '1/0': hex('a'), '2/0': hex('c') });
      expect(await log.leafByEventId(leaf(2).eventId)).toEqual(leaf(2));
      // Another log's addresses are its own.
      expect((await log.nodes('auditlog:provenance.training.v1/0', [{ level: 0, index: 0 }])).size).toBe(0);
    });

    it('takes a replayed batch again without a change', async () => {
      await log.append(
        [record(0), record(1)],
        [{ logId, level: 1, index: 0, hash: hex('a') }],
        state(2, [null, hex('a')]),
      );
      await log.append(
        [record(0), record(1)],
        [{ logId, level: 1, index: 0, hash: hex('a') }],
        state(2, [null, hex('a')]),
      );
      expect(await log.state(logId)).toEqual(state(2, [null, hex('a')]));
      expect(await log.leafByEventId(leaf(1).eventId)).toEqual(leaf(1));
    });

    it('gives back each event as it was appended, by id and in log order', async () => {
      await log.append([record(0), record(1), record(2)], [], state(3, [hex('2'), hex('a')]));
      expect(await log.recordByEventId(record(1).eventId)).toEqual(record(1));
      expect(await log.recordByEventId('0190f1a4-8c1e-7b2a-9c3d-000000000000')).toBeUndefined();
      expect(await log.records(logId, 1, 10)).toEqual([record(1), record(2)]);
      expect(await log.records(logId, 0, 2)).toEqual([record(0), record(1)]);
      expect(await log.records(logId, 3, 10)).toEqual([]);
    });

    it('keeps the first key of each id', async () => {
      const key = (keyId: string, service: string) => ({ keyId, service, publicKey: `PEM of ${service}` });
      await log.saveKeys([key('ed25519:bb', 'projector'), key('ed25519:aa', 'inference-service')]);
      await log.saveKeys([key('ed25519:aa', 'someone-else')]);
      expect(await log.keys()).toEqual([key('ed25519:aa', 'inference-service'), key('ed25519:bb', 'projector')]);
    });

    it('keeps every signed checkpoint, and finds the latest of each log', async () => {
      await log.append([record(0)], [], state(1, [hex('0')]));
      await log.saveCheckpoint(checkpoint(1));
      await log.saveCheckpoint(checkpoint(7));
      await log.saveCheckpoint(checkpoint(3));
      expect(await log.latestCheckpoints()).toEqual([checkpoint(7)]);
      expect(await log.latestCheckpoint(logId)).toEqual(checkpoint(7));
      expect(await log.latestCheckpoint('auditlog:never.p0')).toBeUndefined();
      expect(await log.checkpoint(logId, 3)).toEqual(checkpoint(3));
      expect(await log.checkpoint(logId, 4)).toBeUndefined();
      expect((await log.checkpoints(logId)).map((c) => c.treeSize)).toEqual([1, 3, 7]);
    });
  });
}
