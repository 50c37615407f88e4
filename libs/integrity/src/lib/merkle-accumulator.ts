import {
  EMPTY_TREE_HASH,
  Hash,
  LeafHashSource,
  SubtreeRoot,
  completeSubtrees,
  nodeHash,
  subtreeHash,
} from './merkle-tree';

/**
 * An append-only Merkle tree that holds only the roots of its complete
 * subtrees, one per set bit of its size (O(log n) hashes), and gives the
 * RFC 9162 root after every append: what the audit log needs to sign
 * checkpoints without holding every leaf.
 */
export class MerkleAccumulator {
  /** frontier[level]: the root of a complete subtree of 2^level leaves that still lacks its right sibling. */
  private readonly frontier: Array<Hash | undefined> = [];
  private count = 0;

  /** Picks up an existing log by reading the roots of the complete subtrees its size is made of. */
  static resume(source: LeafHashSource): MerkleAccumulator {
    const accumulator = new MerkleAccumulator();
    for (const subtree of completeSubtrees(0, source.size)) {
      accumulator.frontier[subtree.level] = subtreeHash(source, subtree);
    }
    accumulator.count = source.size;
    return accumulator;
  }

  /**
   * Picks up a log from the frontier it last reported (`frontier()`), as
   * kept beside the log's size: O(log n), no leaf reads.
   */
  static fromFrontier(size: number, frontier: ReadonlyArray<Hash | null | undefined>): MerkleAccumulator {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`a log size is a count, not ${size}`);
    const accumulator = new MerkleAccumulator();
    for (let level = 0; level < frontier.length || 2 ** level <= size; level++) {
      const hash = frontier[level] ?? undefined;
      const expected = Math.floor(size / 2 ** level) % 2 === 1;
      if (expected !== (hash !== undefined))
        throw new RangeError(
          `a frontier of a log of ${size} leaves ${expected ? 'needs' : 'has no'} a subtree at level ${level}`,
        );
      accumulator.frontier[level] = hash;
    }
    accumulator.count = size;
    return accumulator;
  }

  /** The roots of the complete subtrees the size is made of, by level (null where the size has no such subtree). */
  frontierHashes(): Array<Hash | null> {
    return this.frontier.map((hash) => hash ?? null);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a leaf hash. Returns the complete subtrees it finished (level 1 and up), for a store to keep. */
  append(leaf: Hash): SubtreeRoot[] {
    const finished: SubtreeRoot[] = [];
    let hash = leaf;
    let level = 0;
    let index = this.count;
    for (let left = this.frontier[level]; left; left = this.frontier[level]) {
      this.frontier[level] = undefined;
      hash = nodeHash(left, hash);
      level++;
      index = Math.floor(index / 2);
      finished.push({ level, index, hash });
    }
    this.frontier[level] = hash;
    this.count++;
    return finished;
  }

  root(): Hash {
    let root: Hash | undefined;
    // From the smallest subtree (rightmost leaves) to the largest (leftmost).
    for (const subtree of this.frontier) {
      if (subtree) root = root ? nodeHash(subtree, root) : subtree;
    }
    return root ?? EMPTY_TREE_HASH;
  }
}
