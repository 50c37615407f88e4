import fc from 'fast-check';
import { InMemoryMerkleTree } from './in-memory-merkle-tree';
import { MerkleAccumulator } from './merkle-accumulator';
import { consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from './merkle-proof';
import { EMPTY_TREE_HASH, Hash, LeafHashSource, leafHash, merkleRoot } from './merkle-tree';

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`event-${i}`)));
const LEAVES = leavesOf(300);

/** Counts the reads a computation makes of a source. */
function counted(source: LeafHashSource): { source: LeafHashSource; reads: () => number } {
  let reads = 0;
  return {
    source: {
      size: source.size,
      get: (index) => (reads++, source.get(index)),
      subtreeRoot: (level, index) => (reads++, source.subtreeRoot?.(level, index)),
    },
    reads: () => reads,
  };
}

describe('Merkle accumulator', () => {
  it('gives the root of every prefix without keeping the leaves', () => {
    const accumulator = new MerkleAccumulator();
    expect(accumulator.root()).toEqual(EMPTY_TREE_HASH);
    LEAVES.forEach((leaf, i) => {
      accumulator.append(leaf);
      expect(accumulator.size).toBe(i + 1);
      expect(accumulator.root()).toEqual(merkleRoot(LEAVES, i + 1));
    });
  });

  it('reports each complete subtree when its last leaf arrives', () => {
    const accumulator = new MerkleAccumulator();
    const finished = LEAVES.slice(0, 8).map((leaf) => accumulator.append(leaf));
    expect(finished.map((subtrees) => subtrees.map(({ level, index }) => `${level}:${index}`))).toEqual([
      [],
      ['1:0'],
      [],
      ['1:1', '2:0'],
      [],
      ['1:2'],
      [],
      ['1:3', '2:1', '3:0'],
    ]);
    for (const { level, index, hash } of finished.flat()) {
      expect(hash).toEqual(merkleRoot(LEAVES.slice(index * 2 ** level, (index + 1) * 2 ** level)));
    }
  });

  it('resumes an existing log and carries on with the same roots', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 250 }), (size) => {
        const resumed = MerkleAccumulator.resume({ size, get: (i) => LEAVES[i] });
        expect(resumed.size).toBe(size);
        expect(resumed.root()).toEqual(merkleRoot(LEAVES, size));
        for (const leaf of LEAVES.slice(size, size + 50)) resumed.append(leaf);
        expect(resumed.root()).toEqual(merkleRoot(LEAVES, size + 50));
      }),
    );
  });
});

describe('in-memory Merkle tree', () => {
  const tree = new InMemoryMerkleTree();
  LEAVES.forEach((leaf) => tree.append(leaf));

  it('gives the root of the whole log and of every earlier size', () => {
    for (let n = 0; n <= 300; n++) expect(tree.root(n)).toEqual(merkleRoot(LEAVES, n));
    expect(tree.root()).toEqual(merkleRoot(LEAVES));
  });

  it('proves what a plain list of leaf hashes proves', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 300 })
          .chain((n) => fc.tuple(fc.nat(n - 1), fc.integer({ min: 1, max: n }), fc.constant(n))),
        ([leafIndex, m, n]) => {
          expect(inclusionProof(leafIndex, n, tree)).toEqual(inclusionProof(leafIndex, n, LEAVES));
          expect(consistencyProof(m, n, tree)).toEqual(consistencyProof(m, n, LEAVES));
        },
      ),
    );
  });

  it('answers proofs with O(log n) reads from the subtree roots it keeps', () => {
    const n = 2 ** 16 + 12_345;
    const big = new InMemoryMerkleTree();
    for (let i = 0; i < n; i++) big.append(leafHash(Buffer.from(`event-${i}`)));
    const { source, reads } = counted(big);
    const root = big.root();
    for (const leafIndex of [0, 1, 40_000, n - 2, n - 1]) {
      const before = reads();
      const proof = inclusionProof(leafIndex, n, source);
      expect(reads() - before).toBeLessThanOrEqual(2 * 17);
      expect(verifyInclusion(big.get(leafIndex), leafIndex, n, proof, root)).toBe(true);
    }
    const before = reads();
    const proof = consistencyProof(54_321, n, source);
    expect(reads() - before).toBeLessThanOrEqual(2 * 17);
    expect(verifyConsistency(54_321, n, big.root(54_321), root, proof)).toBe(true);
  });
});

describe('a log of a million leaves', () => {
  // Leaf hashes made up on demand: what is measured is the tree, not the data.
  const n = 2 ** 20 + 3;
  const leaf = (i: number): Hash => {
    const hash = Buffer.alloc(32);
    hash.writeUInt32BE(i);
    return hash;
  };
  const source: LeafHashSource = { size: n, get: leaf };

  it('accumulates its root and proves a leaf from leaf hashes alone, without deep recursion', () => {
    const accumulator = new MerkleAccumulator();
    for (let i = 0; i < n; i++) accumulator.append(leaf(i));
    const proof = inclusionProof(777_777, n, source);
    expect(proof).toHaveLength(21);
    expect(verifyInclusion(leaf(777_777), 777_777, n, proof, accumulator.root())).toBe(true);
  });
});
