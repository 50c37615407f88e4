import { createHash } from 'node:crypto';
import { InvalidProofRequestError } from './integrity.errors';

/**
 * Merkle trees as in RFC 9162 section 2.1 (Certificate Transparency v2):
 * leaf hash SHA-256(0x00 || data), interior SHA-256(0x01 || left || right),
 * and a tree of n leaves splits at the largest power of two below n.
 */
const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

export type Hash = Buffer;

export function leafHash(data: Uint8Array): Hash {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

export const EMPTY_TREE_HASH: Hash = createHash('sha256').digest();

/** Largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Where the leaf hashes of a log are read from (an array, or a store holding millions). */
export interface LeafHashSource {
  readonly size: number;
  leafHash(index: number): Hash;
}

export function leafHashArray(hashes: readonly Hash[]): LeafHashSource {
  return { size: hashes.length, leafHash: (i) => hashes[i] };
}

/**
 * MTH(D[start:start+n]). Iterative over complete subtrees, so a million
 * leaves need no deep recursion; `subtreeCache` may hold roots of complete
 * power-of-two subtrees (keyed `start:size`) computed before.
 */
export function subtreeHash(source: LeafHashSource, start: number, n: number, subtreeCache?: Map<string, Hash>): Hash {
  if (n === 0) return EMPTY_TREE_HASH;
  if (n === 1) return source.leafHash(start);
  const isPowerOfTwo = (n & (n - 1)) === 0;
  if (isPowerOfTwo) {
    const key = `${start}:${n}`;
    const cached = subtreeCache?.get(key);
    if (cached) return cached;
    // Complete subtree: hash level by level.
    let level: Hash[] = [];
    for (let i = 0; i < n; i++) level.push(source.leafHash(start + i));
    while (level.length > 1) {
      const next: Hash[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(nodeHash(level[i], level[i + 1]));
      level = next;
    }
    subtreeCache?.set(key, level[0]);
    return level[0];
  }
  const k = splitPoint(n);
  return nodeHash(subtreeHash(source, start, k, subtreeCache), subtreeHash(source, start + k, n - k, subtreeCache));
}

export function merkleRoot(source: LeafHashSource | readonly Hash[], treeSize?: number): Hash {
  const s = Array.isArray(source) ? leafHashArray(source) : (source as LeafHashSource);
  return subtreeHash(s, 0, treeSize ?? s.size);
}

/** RFC 9162 2.1.3.1: the audit path of leaf m in the tree of the first n leaves. */
export function inclusionProof(source: LeafHashSource | readonly Hash[], leafIndex: number, treeSize: number): Hash[] {
  const s = Array.isArray(source) ? leafHashArray(source) : (source as LeafHashSource);
  if (!Number.isInteger(treeSize) || treeSize < 1 || treeSize > s.size) {
    throw new InvalidProofRequestError(`tree size ${treeSize} must be between 1 and ${s.size}`);
  }
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) {
    throw new InvalidProofRequestError(`leaf index ${leafIndex} must be below the tree size ${treeSize}`);
  }
  const path: Hash[] = [];
  let start = 0;
  let n = treeSize;
  let m = leafIndex;
  // Walk down from the root; siblings are collected root-first, the proof lists them leaf-first.
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      path.push(subtreeHash(s, start + k, n - k));
      n = k;
    } else {
      path.push(subtreeHash(s, start, k));
      start += k;
      m -= k;
      n -= k;
    }
  }
  return path.reverse();
}

/** RFC 9162 2.1.3.2: verifies an inclusion proof against a root. */
export function verifyInclusion(
  leaf: Hash,
  leafIndex: number,
  treeSize: number,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (!Number.isInteger(leafIndex) || !Number.isInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize)
    return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 2.1.4.1: proof that the tree of m leaves is a prefix of the tree of n leaves. */
export function consistencyProof(source: LeafHashSource | readonly Hash[], m: number, n: number): Hash[] {
  const s = Array.isArray(source) ? leafHashArray(source) : (source as LeafHashSource);
  if (!Number.isInteger(n) || n < 1 || n > s.size)
    throw new InvalidProofRequestError(`tree size ${n} must be between 1 and ${s.size}`);
  if (!Number.isInteger(m) || m < 1 || m > n)
    throw new InvalidProofRequestError(`old tree size ${m} must be between 1 and ${n}`);
  const proof: Hash[] = [];
  // SUBPROOF(m, D[start:start+n], b), unrolled into a loop.
  let start = 0;
  let size = n;
  let mm = m;
  let complete = true;
  const tail: Hash[] = [];
  while (mm !== size) {
    const k = splitPoint(size);
    if (mm <= k) {
      tail.push(subtreeHash(s, start + k, size - k));
      size = k;
    } else {
      tail.push(subtreeHash(s, start, k));
      start += k;
      mm -= k;
      size -= k;
      complete = false;
    }
  }
  if (!complete) proof.push(subtreeHash(s, start, size));
  return proof.concat(tail.reverse());
}

/** RFC 9162 2.1.4.2: verifies a consistency proof between two roots. */
export function verifyConsistency(m: number, n: number, oldRoot: Hash, newRoot: Hash, proof: readonly Hash[]): boolean {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || m > n) return false;
  if (m === n) return proof.length === 0 && oldRoot.equals(newRoot);
  let path = [...proof];
  if ((m & (m - 1)) === 0) path = [oldRoot, ...path];
  if (path.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

/**
 * An append-only tree that keeps only the roots of its complete subtrees
 * (O(log n) hashes), giving the root after every append: what the audit log
 * needs to sign checkpoints without holding every leaf.
 */
export class MerkleAccumulator {
  // frontier[i] is the root of a complete subtree of 2^i leaves, or undefined.
  private readonly frontier: Array<Hash | undefined> = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  append(leaf: Hash): void {
    let carry = leaf;
    let level = 0;
    while (this.frontier[level]) {
      carry = nodeHash(this.frontier[level] as Hash, carry);
      this.frontier[level] = undefined;
      level++;
    }
    this.frontier[level] = carry;
    this.count++;
  }

  root(): Hash {
    let root: Hash | undefined;
    // Fold from the smallest subtree (rightmost) to the largest (leftmost).
    for (const subtree of this.frontier) {
      if (!subtree) continue;
      root = root ? nodeHash(subtree, root) : subtree;
    }
    return root ?? EMPTY_TREE_HASH;
  }
}
