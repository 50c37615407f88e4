import { MerkleAccumulator } from './merkle-accumulator';
import { Hash, LeafHashSource, merkleRoot } from './merkle-tree';

/**
 * A whole log in memory: every leaf hash and every complete subtree root, so
 * that roots and proofs cost O(log n) reads. For tests and the embedded
 * mode; a store adapter keeps the same hashes durably.
 */
export class InMemoryMerkleTree implements LeafHashSource {
  /** levels[0] holds the leaf hashes, levels[l][i] the root of the subtree of 2^l leaves from i * 2^l. */
  private readonly levels: Hash[][] = [[]];
  private readonly accumulator = new MerkleAccumulator();

  get size(): number {
    return this.levels[0].length;
  }

  get(index: number): Hash {
    return this.levels[0][index];
  }

  subtreeRoot(level: number, index: number): Hash | undefined {
    return this.levels[level]?.[index];
  }

  append(leaf: Hash): void {
    this.levels[0].push(leaf);
    for (const { level, index, hash } of this.accumulator.append(leaf)) (this.levels[level] ??= [])[index] = hash;
  }

  /** The root of the first `treeSize` leaves (all of them by default). */
  root(treeSize = this.size): Hash {
    return treeSize === this.size ? this.accumulator.root() : merkleRoot(this, treeSize);
  }
}
