import { InvalidProofRequestError } from './integrity.errors';
import {
  Hash,
  LeafHashSource,
  SubtreeAddress,
  completeSubtrees,
  isPowerOfTwo,
  leafHashSource,
  nodeHash,
  rangeHash,
  splitPoint,
} from './merkle-tree';

/** Leaves [start, start + size): a proof element is the MTH of one such range. */
interface LeafRange {
  start: number;
  size: number;
}

/** RFC 9162 2.1.3.1: the audit path of leaf `leafIndex` in the tree of the first `treeSize` leaves. */
export function inclusionProof(leafIndex: number, treeSize: number, leaves: LeafHashSource | readonly Hash[]): Hash[] {
  const source = leafHashSource(leaves);
  return inclusionPath(leafIndex, treeSize, source.size).map(({ start, size }) => rangeHash(source, start, size));
}

/**
 * The complete subtrees whose roots `inclusionProof` reads: a store that
 * keeps the subtree roots MerkleAccumulator reports loads exactly these
 * (O(log n) of them), then computes the proof in memory.
 */
export function inclusionProofSubtrees(leafIndex: number, treeSize: number): SubtreeAddress[] {
  return inclusionPath(leafIndex, treeSize, Number.MAX_SAFE_INTEGER).flatMap(({ start, size }) =>
    completeSubtrees(start, size),
  );
}

/** RFC 9162 2.1.3.2, step by step: does `proof` lead from the leaf hash to `root`? */
export function verifyInclusion(
  leaf: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isSize(leafIndex) || !isSize(treeSize) || !isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  // 1.
  if (leafIndex >= treeSize) return false;
  // 2. and 3.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leaf;
  // 4.
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  return sn === 0 && Buffer.compare(r, root) === 0;
}

/**
 * RFC 9162 2.1.4.1: proof that the tree of the first m leaves is a prefix of
 * the tree of the first n. Empty when m = n, a tree being consistent with itself.
 */
export function consistencyProof(m: number, n: number, leaves: LeafHashSource | readonly Hash[]): Hash[] {
  const source = leafHashSource(leaves);
  return consistencyPath(m, n, source.size).map(({ start, size }) => rangeHash(source, start, size));
}

/** The complete subtrees whose roots `consistencyProof` reads, for a store to load first. */
export function consistencyProofSubtrees(m: number, n: number): SubtreeAddress[] {
  return consistencyPath(m, n, Number.MAX_SAFE_INTEGER).flatMap(({ start, size }) => completeSubtrees(start, size));
}

/** RFC 9162 2.1.4.2, step by step: is the tree with `newRoot` an append-only extension of the one with `oldRoot`? */
export function verifyConsistency(
  m: number,
  n: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isSize(m) || !isSize(n) || m < 1 || m > n || !isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) {
    return false;
  }
  // The RFC covers m < n only; a tree head is consistent with itself alone.
  if (m === n) return proof.length === 0 && Buffer.compare(oldRoot, newRoot) === 0;
  // 1.
  if (proof.length === 0) return false;
  // 2.
  const path = isPowerOfTwo(m) ? [oldRoot, ...proof] : proof;
  // 3.
  let fn = m - 1;
  let sn = n - 1;
  // 4.
  while (fn % 2 === 1) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  let fr = path[0];
  let sr = path[0];
  // 6.
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 7.
  return Buffer.compare(fr, oldRoot) === 0 && Buffer.compare(sr, newRoot) === 0 && sn === 0;
}

/** PATH(m, D[n]) as leaf ranges, leaf side first. A loop, not the RFC's recursion, with the same result. */
function inclusionPath(leafIndex: number, treeSize: number, logSize: number): LeafRange[] {
  if (!isSize(treeSize) || treeSize < 1 || treeSize > logSize) {
    throw new InvalidProofRequestError(`tree size ${treeSize} must be between 1 and ${logSize}`);
  }
  if (!isSize(leafIndex) || leafIndex >= treeSize) {
    throw new InvalidProofRequestError(`leaf index ${leafIndex} must be below the tree size ${treeSize}`);
  }
  const path: LeafRange[] = [];
  let start = 0;
  let n = treeSize;
  let m = leafIndex;
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      path.push({ start: start + k, size: n - k });
      n = k;
    } else {
      path.push({ start, size: k });
      start += k;
      m -= k;
      n -= k;
    }
  }
  return path.reverse();
}

/** SUBPROOF(m, D[n], true) as leaf ranges, in proof order. */
function consistencyPath(m: number, n: number, logSize: number): LeafRange[] {
  if (!isSize(n) || n < 1 || n > logSize)
    throw new InvalidProofRequestError(`tree size ${n} must be between 1 and ${logSize}`);
  if (!isSize(m) || m < 1 || m > n) throw new InvalidProofRequestError(`old tree size ${m} must be between 1 and ${n}`);
  // Siblings are met root first; the proof lists them after the subproof, deepest first.
  const siblings: LeafRange[] = [];
  let start = 0;
  let size = n;
  let first = m;
  let wholeOldTree = true;
  while (first !== size) {
    const k = splitPoint(size);
    if (first <= k) {
      siblings.push({ start: start + k, size: size - k });
      size = k;
    } else {
      siblings.push({ start, size: k });
      start += k;
      first -= k;
      size -= k;
      wholeOldTree = false;
    }
  }
  // SUBPROOF(m, D[m], b) is {} when b is true (the verifier holds the old root) and {MTH(D[m])} otherwise.
  return [...(wholeOldTree ? [] : [{ start, size }]), ...siblings.reverse()];
}

const isSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === 32;
/** A right shift by one that stays exact past 2^31, where JavaScript's >> does not. */
const half = (n: number): number => Math.floor(n / 2);
