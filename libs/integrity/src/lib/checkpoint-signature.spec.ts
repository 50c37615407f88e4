import { checkpointSigningInput, signCheckpoint, verifyCheckpoint } from './checkpoint-signature';
import { MerkleAccumulator } from './merkle-accumulator';
import { leafHash, merkleRoot } from './merkle-tree';
import { generateSigningKeyPair } from './signing-key';

describe('log checkpoints', () => {
  const keys = generateSigningKeyPair();
  const body = {
    logId: 'auditlog:provenance.inference.v1/3',
    treeSize: 5,
    rootHash: 'ab'.repeat(32),
    signedAt: '2026-12-01T10:00:00.000Z',
  };

  it('verifies with the signer public key, and not once anything in it changed', () => {
    const checkpoint = signCheckpoint(body, keys.privateKey, keys.keyId);
    expect(checkpoint.keyId).toBe(keys.keyId);
    expect(verifyCheckpoint(checkpoint, keys.publicKey)).toBe(true);
    expect(verifyCheckpoint({ ...checkpoint, treeSize: 6 }, keys.publicKey)).toBe(false);
    expect(verifyCheckpoint({ ...checkpoint, rootHash: 'cd'.repeat(32) }, keys.publicKey)).toBe(false);
    expect(verifyCheckpoint({ ...checkpoint, signature: 'A'.repeat(86) }, keys.publicKey)).toBe(false);
    expect(verifyCheckpoint({ ...checkpoint, signature: 'short' }, keys.publicKey)).toBe(false);
    expect(verifyCheckpoint(checkpoint, generateSigningKeyPair().publicKey)).toBe(false);
  });

  it('signs the canonical JSON of the body, whatever the order of its fields', () => {
    const reordered = { signedAt: body.signedAt, keyId: 'k', treeSize: 5, rootHash: body.rootHash, logId: body.logId };
    expect(checkpointSigningInput(reordered).toString()).toBe(
      `{"keyId":"k","logId":"${body.logId}","rootHash":"${body.rootHash}","signedAt":"${body.signedAt}","treeSize":5}`,
    );
  });
});

describe('a Merkle accumulator picked up from its frontier', () => {
  const leaves = Array.from({ length: 13 }, (_, i) => leafHash(Buffer.from(`event-${i}`)));

  it('goes on with the same roots as one that never stopped', () => {
    for (let stop = 0; stop <= leaves.length; stop++) {
      const first = new MerkleAccumulator();
      for (const leaf of leaves.slice(0, stop)) first.append(leaf);
      const resumed = MerkleAccumulator.fromFrontier(first.size, first.frontierHashes());
      for (const leaf of leaves.slice(stop)) resumed.append(leaf);
      expect(resumed.root().equals(merkleRoot(leaves))).toBe(true);
    }
  });

  it('refuses a frontier that does not fit the size', () => {
    const accumulator = new MerkleAccumulator();
    for (const leaf of leaves.slice(0, 5)) accumulator.append(leaf);
    expect(() => MerkleAccumulator.fromFrontier(6, accumulator.frontierHashes())).toThrow(RangeError);
    expect(() => MerkleAccumulator.fromFrontier(5, [])).toThrow(RangeError);
  });
});
