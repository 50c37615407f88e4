import { createHash } from 'node:crypto';
import { InvalidProofRequestError } from './integrity.errors';

/**
 * Merkle tree hashing of RFC 9162 section 2.1 (Certificate Transparency v2):
 * leaf SHA-256(0x00 || data), interior node SHA-256(0x01 || left || right),
 * and the tree of n > 1 leaves splits at the largest power of two below n.
 */
export type Hash = Buffer;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}): the hash of the empty tree, SHA-256 of nothing. */
export const EMPTY_TREE_HASH: Hash = createHash('sha256').digest();

export function leafHash(data: Uint8Array): Hash {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * A complete subtree: the 2^level leaves from leaf index * 2^level. Once a
 * log has grown past it its root never changes, so a store may keep it.
 */
export interface SubtreeAddress {
  level: number;
  index: number;
}

export interface SubtreeRoot extends SubtreeAddress {
  hash: Hash;
}

/**
 * Where roots and proofs read a log's hashes from: an array, or a store
 * holding millions of leaves. A source that also keeps the roots of complete
 * subtrees (as MerkleAccumulator reports them) answers a proof with O(log n)
 * reads; one that does not costs O(n) hashing, never deep recursion.
 */
export interface LeafHashSource {
  readonly size: number;
  get(index: number): Hash;
  subtreeRoot?(level: number, index: number): Hash | undefined;
}

export function leafHashSource(leaves: LeafHashSource | readonly Hash[]): LeafHashSource {
  if (!Array.isArray(leaves)) return leaves as LeafHashSource;
  const hashes: readonly Hash[] = leaves;
  return { size: hashes.length, get: (index) => hashes[index] };
}

/** MTH of the first `treeSize` leaves (all of them by default). */
export function merkleRoot(leaves: LeafHashSource | readonly Hash[], treeSize?: number): Hash {
  const source = leafHashSource(leaves);
  const n = treeSize ?? source.size;
  if (!Number.isSafeInteger(n) || n < 0 || n > source.size) {
    throw new InvalidProofRequestError(`tree size ${n} must be between 0 and ${source.size}`);
  }
  return rangeHash(source, 0, n);
}

/**
 * MTH of leaves [start, start + size), for a range the RFC's split produces
 * (so start is a multiple of the largest power of two in size). Such a range
 * is its complete subtrees, largest first, combined from the right.
 */
export function rangeHash(source: LeafHashSource, start: number, size: number): Hash {
  if (size === 0) return EMPTY_TREE_HASH;
  const subtrees = completeSubtrees(start, size);
  let hash = subtreeHash(source, subtrees[subtrees.length - 1]);
  for (let i = subtrees.length - 2; i >= 0; i--) hash = nodeHash(subtreeHash(source, subtrees[i]), hash);
  return hash;
}

/** The complete subtrees that make up leaves [start, start + size), largest first. */
export function completeSubtrees(start: number, size: number): SubtreeAddress[] {
  const subtrees: SubtreeAddress[] = [];
  for (let at = start, remaining = size; remaining > 0;) {
    const level = floorLog2(remaining);
    const width = 2 ** level;
    subtrees.push({ level, index: at / width });
    at += width;
    remaining -= width;
  }
  return subtrees;
}

/** A complete subtree's root: kept by the source, or made from its halves (recursing only as deep as the tree is high). */
export function subtreeHash(source: LeafHashSource, { level, index }: SubtreeAddress): Hash {
  if (level === 0) return source.get(index);
  return (
    source.subtreeRoot?.(level, index) ??
    nodeHash(
      subtreeHash(source, { level: level - 1, index: 2 * index }),
      subtreeHash(source, { level: level - 1, index: 2 * index + 1 }),
    )
  );
}

/** The largest power of two strictly below n (n >= 2): where MTH splits. */
export function splitPoint(n: number): number {
  return 2 ** floorLog2(n - 1);
}

export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && 2 ** floorLog2(n) === n;
}

/** floor(log2(n)) for n >= 1, exact up to 2^53 (Math.log2 may round up just below a power of two; bitwise operators stop at 2^31). */
function floorLog2(n: number): number {
  let level = 0;
  for (let width = 2; width <= n; width *= 2) level++;
  return level;
}
