import { auditLeafHash, generateSigningKeyPair, inclusionProof, merkleRoot, signCheckpoint } from '@prov/integrity';
import type { InclusionProof, SignedCheckpoint } from '@prov/integrity';
import {
  auditLeafHashOf,
  fromHex,
  toHex,
  verifyCheckpointSignature,
  verifyEventInLog,
  verifyInclusion,
} from './inclusion-verifier';

// Events with keys stores dislike and numbers canonical JSON rewrites: the browser must hash them as the log did.
const events = Array.from({ length: 13 }, (_, i) => ({
  eventId: `0190000${i}-0000-7000-8000-000000000000`,
  type: 'prediction.batch.recorded',
  payload: { 'optimizer.lr': 1e-3 * (i + 1), $scale: 2.0, z: [i, { b: 1, a: 2 }] },
}));
const leaves = events.map((e) => auditLeafHash(e));

describe('the browser verifier follows libs/integrity', () => {
  it('hashes an event to the same audit leaf', async () => {
    for (const [i, event] of events.entries())
      expect(toHex(await auditLeafHashOf(event))).toBe(leaves[i].toString('hex'));
  });

  it('accepts every proof libs/integrity builds, in every tree size, and rejects a changed one', async () => {
    for (let size = 1; size <= leaves.length; size++) {
      const root = merkleRoot(leaves, size);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(index, size, leaves);
        expect(await verifyInclusion(leaves[index], index, size, proof, root)).toBe(true);
        if (size > 1) {
          expect(await verifyInclusion(leaves[index], (index + 1) % size, size, proof, root)).toBe(false);
          const bent = proof.map((p, k) => (k === 0 ? Uint8Array.from(p, (b, j) => (j === 0 ? b ^ 1 : b)) : p));
          expect(await verifyInclusion(leaves[index], index, size, bent, root)).toBe(false);
        }
      }
    }
  });

  it('rejects an index outside the tree and hashes of the wrong length', async () => {
    const root = merkleRoot(leaves, 4);
    expect(await verifyInclusion(leaves[4], 4, 4, inclusionProof(3, 4, leaves), root)).toBe(false);
    expect(await verifyInclusion(leaves[0], 0, 4, [new Uint8Array(31)], root)).toBe(false);
  });
});

const logKey = generateSigningKeyPair();
const keys = [{ keyId: logKey.keyId, publicKey: logKey.publicKeyPem }];

describe('verifyCheckpointSignature', () => {
  const signed = signCheckpoint(
    { logId: 'auditlog:x', treeSize: 3, rootHash: 'ab'.repeat(32), signedAt: '2026-11-27T10:00:00.000Z' },
    logKey.privateKey,
    logKey.keyId,
  );

  it('accepts a checkpoint libs/integrity signed, with the key it names', async () => {
    expect(await verifyCheckpointSignature(signed, keys)).toBe(true);
  });

  it('refuses a changed checkpoint, another key, and a key it does not know', async () => {
    expect(await verifyCheckpointSignature({ ...signed, treeSize: 4 }, keys)).toBe(false);
    const other = generateSigningKeyPair();
    expect(await verifyCheckpointSignature(signed, [{ keyId: logKey.keyId, publicKey: other.publicKeyPem }])).toBe(
      false,
    );
    expect(await verifyCheckpointSignature(signed, [])).toBe(false);
  });
});

describe('verifyEventInLog', () => {
  const size = 13;
  const checkpoint: SignedCheckpoint = signCheckpoint(
    {
      logId: 'auditlog:inference-0',
      treeSize: size,
      rootHash: merkleRoot(leaves, size).toString('hex'),
      signedAt: '2026-11-27T10:00:00.000Z',
    },
    logKey.privateKey,
    logKey.keyId,
  );
  const proofOf = (index: number): InclusionProof => ({
    eventId: events[index].eventId,
    logId: checkpoint.logId,
    leafIndex: index,
    leafHash: leaves[index].toString('hex'),
    treeSize: size,
    proof: inclusionProof(index, size, leaves).map((h) => h.toString('hex')),
    checkpoint,
  });

  it('verifies an event against the latest checkpoint of its log', async () => {
    expect(await verifyEventInLog(events[6], proofOf(6), [checkpoint], keys)).toEqual({ verified: true });
  });

  it('refuses an event altered after it was logged', async () => {
    const altered = { ...events[6], payload: { ...events[6].payload, $scale: 3 } };
    expect(await verifyEventInLog(altered, proofOf(6), [checkpoint], keys)).toEqual({
      verified: false,
      reason: 'the event does not hash to its leaf',
    });
  });

  it('refuses a checkpoint no log key signed', async () => {
    expect(await verifyEventInLog(events[6], proofOf(6), [checkpoint], [])).toEqual({
      verified: false,
      reason: 'the latest checkpoint of auditlog:inference-0 is not signed by a log key',
    });
  });

  it('refuses a proof at another checkpoint than the latest', async () => {
    const later = { ...checkpoint, treeSize: size + 1, rootHash: toHex(fromHex('ab'.repeat(32))) };
    expect(await verifyEventInLog(events[6], proofOf(6), [later], keys)).toMatchObject({ verified: false });
    expect(await verifyEventInLog(events[6], proofOf(6), [], keys)).toMatchObject({ verified: false });
  });
});
