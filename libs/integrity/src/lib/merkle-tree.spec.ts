import fc from 'fast-check';
import {
  EMPTY_TREE_HASH,
  Hash,
  MerkleAccumulator,
  consistencyProof,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from './merkle-tree';
import { InvalidProofRequestError } from './integrity.errors';

// The Certificate Transparency reference test tree (RFC 6962 / 9162 hashing): leaves and the roots of each prefix.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const hashes = LEAVES.map((hex) => leafHash(Buffer.from(hex, 'hex')));

/** MTH exactly as RFC 9162 2.1.1 writes it, recursively, as an independent reference. */
function referenceRoot(leaves: Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_TREE_HASH;
  if (leaves.length === 1) return leaves[0];
  const k = splitPoint(leaves.length);
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`event-${i}`)));
const flip = (h: Hash) => {
  const copy = Buffer.from(h);
  copy[0] ^= 1;
  return copy;
};

describe('Merkle tree (RFC 9162)', () => {
  it('hashes the empty tree as SHA-256 of nothing', () => {
    expect(merkleRoot([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it.each(ROOTS.map((root, i) => [i + 1, root]))('gives the reference root of the first %d test leaves', (n, root) => {
    expect(merkleRoot(hashes, n as number).toString('hex')).toBe(root);
  });

  it('proves inclusion of leaf 0 in the 8-leaf tree with the reference path', () => {
    const proof = inclusionProof(hashes, 0, 8);
    expect(proof).toEqual([hashes[1], nodeHash(hashes[2], hashes[3]), merkleRoot(hashes.slice(4, 8))]);
    expect(verifyInclusion(hashes[0], 0, 8, proof, merkleRoot(hashes))).toBe(true);
  });

  it('proves consistency of the 3-leaf tree with the 8-leaf tree with the RFC 9162 example shape', () => {
    // 2.1.5: PROOF(3, D[7]) = [c, d, g, l]; with 8 leaves the last element is the hash of leaves 4..7.
    const proof = consistencyProof(hashes, 3, 8);
    expect(proof).toEqual([hashes[2], hashes[3], nodeHash(hashes[0], hashes[1]), merkleRoot(hashes.slice(4, 8))]);
    expect(verifyConsistency(3, 8, merkleRoot(hashes, 3), merkleRoot(hashes), proof)).toBe(true);
  });

  it('agrees with the recursive reference for every size up to 70', () => {
    const leaves = leavesOf(70);
    for (let n = 0; n <= 70; n++) expect(merkleRoot(leaves, n).equals(referenceRoot(leaves.slice(0, n)))).toBe(true);
  });

  it('verifies every inclusion proof and refuses tampered ones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1))),
        ([n, m]) => {
          const leaves = leavesOf(n);
          const root = merkleRoot(leaves, n);
          const proof = inclusionProof(leaves, m, n);
          expect(verifyInclusion(leaves[m], m, n, proof, root)).toBe(true);
          expect(verifyInclusion(flip(leaves[m]), m, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaves[m], m, n, proof, flip(root))).toBe(false);
          if (n > 1) expect(verifyInclusion(leaves[m], (m + 1) % n, n, proof, root)).toBe(false);
          if (proof.length > 0) {
            expect(verifyInclusion(leaves[m], m, n, [flip(proof[0]), ...proof.slice(1)], root)).toBe(false);
            expect(verifyInclusion(leaves[m], m, n, proof.slice(1), root)).toBe(false);
          }
        },
      ),
    );
  });

  it('verifies every consistency proof and refuses tampered ones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n))),
        ([m, n]) => {
          const leaves = leavesOf(n);
          const oldRoot = merkleRoot(leaves, m);
          const newRoot = merkleRoot(leaves, n);
          const proof = consistencyProof(leaves, m, n);
          expect(verifyConsistency(m, n, oldRoot, newRoot, proof)).toBe(true);
          expect(verifyConsistency(m, n, flip(oldRoot), newRoot, proof)).toBe(false);
          if (m < n) {
            expect(verifyConsistency(m, n, oldRoot, flip(newRoot), proof)).toBe(false);
            expect(verifyConsistency(m, n, oldRoot, newRoot, [flip(proof[0]), ...proof.slice(1)])).toBe(false);
            // A rewritten history (one old leaf changed) is not consistent with the new tree.
            const rewritten = [...leaves];
            rewritten[m - 1] = flip(rewritten[m - 1]);
            expect(verifyConsistency(m, n, merkleRoot(rewritten, m), newRoot, proof)).toBe(false);
          }
        },
      ),
    );
  });

  it('accumulates the same root as the whole tree after every append', () => {
    const leaves = leavesOf(257);
    const accumulator = new MerkleAccumulator();
    expect(accumulator.root().equals(EMPTY_TREE_HASH)).toBe(true);
    leaves.forEach((leaf, i) => {
      accumulator.append(leaf);
      expect(accumulator.size).toBe(i + 1);
      expect(accumulator.root().equals(merkleRoot(leaves, i + 1))).toBe(true);
    });
  });

  it('refuses proofs for leaves or sizes outside the tree', () => {
    expect(() => inclusionProof(hashes, 8, 8)).toThrow(InvalidProofRequestError);
    expect(() => inclusionProof(hashes, 0, 9)).toThrow(InvalidProofRequestError);
    expect(() => consistencyProof(hashes, 0, 8)).toThrow(InvalidProofRequestError);
    expect(() => consistencyProof(hashes, 5, 4)).toThrow(InvalidProofRequestError);
  });

  it('computes proofs in a large tree without deep recursion', () => {
    const n = 100_000;
    const leaves = leavesOf(n);
    const root = merkleRoot(leaves);
    const proof = inclusionProof(leaves, 77_777, n);
    expect(proof.length).toBe(17);
    expect(verifyInclusion(leaves[77_777], 77_777, n, proof, root)).toBe(true);
  });
});
