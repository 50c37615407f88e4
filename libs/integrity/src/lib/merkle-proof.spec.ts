import fc from 'fast-check';
import { InvalidProofRequestError } from './integrity.errors';
import {
  consistencyProof,
  consistencyProofSubtrees,
  inclusionProof,
  inclusionProofSubtrees,
  verifyConsistency,
  verifyInclusion,
} from './merkle-proof';
import { EMPTY_TREE_HASH, Hash, LeafHashSource, leafHash, merkleRoot, nodeHash } from './merkle-tree';

const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ct = CT_LEAVES.map((hex) => leafHash(Buffer.from(hex, 'hex')));
const hex = (hashes: Hash[]) => hashes.map((h) => h.toString('hex'));

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`event-${i}`)));
const LEAVES = leavesOf(300);
const flipBit = (h: Uint8Array, bit = 0): Buffer => {
  const copy = Buffer.from(h);
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
};

/** A source that answers only for the given subtrees and fails the test on any other read. */
function sourceOf(leaves: Hash[], subtrees: { level: number; index: number }[]): LeafHashSource {
  const known = new Map(
    subtrees.map(({ level, index }) => [
      `${level}:${index}`,
      merkleRoot(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level)),
    ]),
  );
  const read = (level: number, index: number) => {
    const hash = known.get(`${level}:${index}`);
    if (!hash) throw new Error(`read of a subtree the plan did not list: ${level}:${index}`);
    return hash;
  };
  return { size: leaves.length, get: (index) => read(0, index), subtreeRoot: read };
}

const treeAndLeaf = fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1)));
const twoSizes = fc
  .integer({ min: 1, max: 300 })
  .chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));

describe('Merkle inclusion proofs (RFC 9162 2.1.3)', () => {
  // The Certificate Transparency test suite's inclusion proofs for its reference tree.
  it.each([
    [0, 1, []],
    [
      0,
      8,
      [
        '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ],
    ],
    [
      5,
      8,
      [
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    ],
    [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
    [
      1,
      5,
      [
        '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      ],
    ],
  ])('proves leaf %d of the first %d CT test leaves with the reference path', (m, n, expected) => {
    const proof = inclusionProof(m, n, ct);
    expect(hex(proof)).toEqual(expected);
    expect(verifyInclusion(ct[m], m, n, proof, merkleRoot(ct, n))).toBe(true);
  });

  it('gives the audit paths of the RFC 9162 2.1.5 example tree of seven leaves', () => {
    const [a, b, c, d, e, f, j] = ct;
    const [g, h, i] = [nodeHash(a, b), nodeHash(c, d), nodeHash(e, f)];
    const [k, l] = [nodeHash(g, h), nodeHash(i, j)];
    expect(inclusionProof(0, 7, ct)).toEqual([b, h, l]);
    expect(inclusionProof(3, 7, ct)).toEqual([c, g, l]);
    expect(inclusionProof(4, 7, ct)).toEqual([f, j, k]);
    expect(inclusionProof(6, 7, ct)).toEqual([i, k]);
  });

  it('verifies every inclusion proof', () => {
    fc.assert(
      fc.property(treeAndLeaf, ([n, m]) => {
        expect(verifyInclusion(LEAVES[m], m, n, inclusionProof(m, n, LEAVES), merkleRoot(LEAVES, n))).toBe(true);
      }),
    );
  });

  it('refuses an inclusion proof with any bit flipped in the leaf, the root or the path', () => {
    fc.assert(
      fc.property(treeAndLeaf, fc.nat(255), fc.nat(), ([n, m], bit, at) => {
        const proof = inclusionProof(m, n, LEAVES);
        const root = merkleRoot(LEAVES, n);
        expect(verifyInclusion(flipBit(LEAVES[m], bit), m, n, proof, root)).toBe(false);
        expect(verifyInclusion(LEAVES[m], m, n, proof, flipBit(root, bit))).toBe(false);
        if (proof.length === 0) return;
        const tampered = proof.map((p, i) => (i === at % proof.length ? flipBit(p, bit) : p));
        expect(verifyInclusion(LEAVES[m], m, n, tampered, root)).toBe(false);
      }),
    );
  });

  it('refuses an inclusion proof for another index, another tree size, or a path cut or padded', () => {
    fc.assert(
      fc.property(treeAndLeaf, fc.nat(299), fc.integer({ min: 1, max: 300 }), ([n, m], otherIndex, otherSize) => {
        const proof = inclusionProof(m, n, LEAVES);
        const root = merkleRoot(LEAVES, n);
        const verify = (index: number, size: number, path: Hash[], r = root) =>
          verifyInclusion(LEAVES[m], index, size, path, r);
        if (otherIndex !== m) expect(verify(otherIndex, n, proof)).toBe(false);
        // A checkpoint signs a size with its root: the proof must fail against any other pair.
        if (otherSize !== n) expect(verify(m, otherSize, proof, merkleRoot(LEAVES, otherSize))).toBe(false);
        expect(verify(m, n * 2, proof)).toBe(false);
        if (n > 1) expect(verify(m, Math.floor(n / 2), proof)).toBe(false);
        expect(verify(m, n, [...proof, root])).toBe(false);
        expect(verify(m, n, [EMPTY_TREE_HASH, ...proof])).toBe(false);
        if (proof.length > 0) expect(verify(m, n, proof.slice(0, -1))).toBe(false);
      }),
    );
  });

  it('reads only the subtrees its plan lists', () => {
    fc.assert(
      fc.property(treeAndLeaf, ([n, m]) => {
        const leaves = LEAVES.slice(0, n);
        const planned = inclusionProofSubtrees(m, n);
        expect(inclusionProof(m, n, sourceOf(leaves, planned))).toEqual(inclusionProof(m, n, leaves));
        expect(planned.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)));
      }),
    );
  });

  it('refuses malformed inputs instead of throwing while verifying', () => {
    const proof = inclusionProof(1, 8, ct);
    const root = merkleRoot(ct);
    expect(verifyInclusion(ct[1], 8, 8, proof, root)).toBe(false);
    expect(verifyInclusion(ct[1], -1, 8, proof, root)).toBe(false);
    expect(verifyInclusion(ct[1], 1.5, 8, proof, root)).toBe(false);
    expect(verifyInclusion(ct[1], 0, 0, [], EMPTY_TREE_HASH)).toBe(false);
    expect(verifyInclusion(ct[1].subarray(1), 1, 8, proof, root)).toBe(false);
    expect(verifyInclusion(ct[1], 1, 8, [...proof.slice(0, 2), Buffer.alloc(0)], root)).toBe(false);
  });

  it('refuses to prove a leaf or a tree size the log does not have', () => {
    expect(() => inclusionProof(8, 8, ct)).toThrow(InvalidProofRequestError);
    expect(() => inclusionProof(0, 9, ct)).toThrow(/tree size 9 must be between 1 and 8/);
    expect(() => inclusionProof(0, 0, ct)).toThrow(InvalidProofRequestError);
    expect(() => inclusionProof(-1, 8, ct)).toThrow(/leaf index -1 must be below the tree size 8/);
    expect(() => inclusionProofSubtrees(3, 3)).toThrow(InvalidProofRequestError);
  });
});

describe('Merkle consistency proofs (RFC 9162 2.1.4)', () => {
  // The Certificate Transparency test suite's consistency proofs for its reference tree.
  it.each([
    [1, 1, []],
    [
      1,
      8,
      [
        '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ],
    ],
    [
      6,
      8,
      [
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    ],
    [
      2,
      5,
      [
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      ],
    ],
  ])('proves the first %d CT test leaves a prefix of the first %d with the reference proof', (m, n, expected) => {
    const proof = consistencyProof(m, n, ct);
    expect(hex(proof)).toEqual(expected);
    expect(verifyConsistency(m, n, merkleRoot(ct, m), merkleRoot(ct, n), proof)).toBe(true);
  });

  it('gives the consistency proofs of the RFC 9162 2.1.5 example tree of seven leaves', () => {
    const [a, b, c, d, e, f, j] = ct;
    const [g, h, i] = [nodeHash(a, b), nodeHash(c, d), nodeHash(e, f)];
    const [k, l] = [nodeHash(g, h), nodeHash(i, j)];
    expect(consistencyProof(3, 7, ct)).toEqual([c, d, g, l]);
    expect(consistencyProof(4, 7, ct)).toEqual([l]);
    expect(consistencyProof(6, 7, ct)).toEqual([i, j, k]);
  });

  it('verifies every consistency proof', () => {
    fc.assert(
      fc.property(twoSizes, ([m, n]) => {
        const proof = consistencyProof(m, n, LEAVES);
        expect(verifyConsistency(m, n, merkleRoot(LEAVES, m), merkleRoot(LEAVES, n), proof)).toBe(true);
      }),
    );
  });

  it('refuses a consistency proof with any bit flipped in either root or the proof', () => {
    fc.assert(
      fc.property(twoSizes, fc.nat(255), fc.nat(), ([m, n], bit, at) => {
        const proof = consistencyProof(m, n, LEAVES);
        const [oldRoot, newRoot] = [merkleRoot(LEAVES, m), merkleRoot(LEAVES, n)];
        expect(verifyConsistency(m, n, flipBit(oldRoot, bit), newRoot, proof)).toBe(false);
        expect(verifyConsistency(m, n, oldRoot, flipBit(newRoot, bit), proof)).toBe(false);
        if (proof.length === 0) return;
        const tampered = proof.map((p, i) => (i === at % proof.length ? flipBit(p, bit) : p));
        expect(verifyConsistency(m, n, oldRoot, newRoot, tampered)).toBe(false);
      }),
    );
  });

  it('refuses a consistency proof for other sizes, swapped roots, a rewritten history, or a path cut or padded', () => {
    fc.assert(
      fc.property(twoSizes, fc.integer({ min: 1, max: 300 }), ([m, n], other) => {
        const proof = consistencyProof(m, n, LEAVES);
        const [oldRoot, newRoot] = [merkleRoot(LEAVES, m), merkleRoot(LEAVES, n)];
        if (other !== m && other <= n)
          expect(verifyConsistency(other, n, merkleRoot(LEAVES, other), newRoot, proof)).toBe(false);
        if (other !== n && other >= m)
          expect(verifyConsistency(m, other, oldRoot, merkleRoot(LEAVES, other), proof)).toBe(false);
        if (m === n) return;
        expect(verifyConsistency(m, n, newRoot, oldRoot, proof)).toBe(false);
        expect(verifyConsistency(m, n, oldRoot, newRoot, [])).toBe(false);
        expect(verifyConsistency(m, n, oldRoot, newRoot, proof.slice(0, -1))).toBe(false);
        expect(verifyConsistency(m, n, oldRoot, newRoot, [...proof, oldRoot])).toBe(false);
        expect(verifyConsistency(m, n, oldRoot, newRoot, [proof[0], ...proof])).toBe(false);
        const rewritten = [...LEAVES.slice(0, m - 1), flipBit(LEAVES[m - 1]), ...LEAVES.slice(m, n)];
        expect(verifyConsistency(m, n, merkleRoot(rewritten, m), newRoot, proof)).toBe(false);
      }),
    );
  });

  it('reads only the subtrees its plan lists', () => {
    fc.assert(
      fc.property(twoSizes, ([m, n]) => {
        const leaves = LEAVES.slice(0, n);
        const planned = consistencyProofSubtrees(m, n);
        expect(consistencyProof(m, n, sourceOf(leaves, planned))).toEqual(consistencyProof(m, n, leaves));
      }),
    );
  });

  it('holds a tree head consistent with itself alone', () => {
    const root = merkleRoot(ct, 5);
    expect(consistencyProof(5, 5, ct)).toEqual([]);
    expect(verifyConsistency(5, 5, root, root, [])).toBe(true);
    expect(verifyConsistency(5, 5, root, merkleRoot(ct, 6), [])).toBe(false);
    expect(verifyConsistency(5, 5, root, root, [root])).toBe(false);
  });

  it('refuses sizes outside the log, or an old tree larger than the new', () => {
    expect(() => consistencyProof(0, 8, ct)).toThrow(InvalidProofRequestError);
    expect(() => consistencyProof(5, 4, ct)).toThrow(/old tree size 5 must be between 1 and 4/);
    expect(() => consistencyProof(1, 9, ct)).toThrow(/tree size 9 must be between 1 and 8/);
    expect(verifyConsistency(0, 8, EMPTY_TREE_HASH, merkleRoot(ct), [])).toBe(false);
    expect(verifyConsistency(5, 4, merkleRoot(ct, 5), merkleRoot(ct, 4), consistencyProof(4, 5, ct))).toBe(false);
  });
});
