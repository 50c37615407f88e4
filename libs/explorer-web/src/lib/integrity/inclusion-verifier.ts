import type { InclusionProof, SignedCheckpoint } from '@prov/integrity';
import canonicalize from 'canonicalize';

/**
 * RFC 9162 inclusion proofs checked in the browser with WebCrypto: libs/integrity
 * verifies with node:crypto, which a page does not have. The steps follow
 * RFC 9162 2.1.3.2 exactly as libs/integrity's verifyInclusion does.
 */
export type Sha256 = (data: Uint8Array) => Promise<Uint8Array>;

export const webCryptoSha256: Sha256 = async (data) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

export const fromHex = (hex: string): Uint8Array =>
  /^([0-9a-f]{2})*$/.test(hex) ? Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16)) : new Uint8Array(0);
export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The audit log's leaf of an event: SHA-256(0x00 || RFC 8785 canonical JSON of the envelope as published). */
export async function auditLeafHashOf(envelope: unknown, sha256: Sha256 = webCryptoSha256): Promise<Uint8Array> {
  const canonical = canonicalize(envelope);
  if (canonical === undefined) throw new Error('the event is not JSON');
  return sha256(concat(Uint8Array.of(0), new TextEncoder().encode(canonical)));
}

/** RFC 9162 2.1.3.2: does `proof` lead from the leaf hash at `leafIndex` to `root` of a tree of `treeSize`? */
export async function verifyInclusion(
  leaf: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  sha256: Sha256 = webCryptoSha256,
): Promise<boolean> {
  const isSize = (n: number) => Number.isSafeInteger(n) && n >= 0;
  const isHash = (h: Uint8Array) => h.length === 32;
  if (!isSize(leafIndex) || !isSize(treeSize) || !isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  if (leafIndex >= treeSize) return false;
  const node = (left: Uint8Array, right: Uint8Array) => sha256(concat(Uint8Array.of(1), left, right));
  const half = (n: number) => Math.floor(n / 2);
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await node(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await node(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equal(r, root);
}

export type ProofVerdict = { verified: true } | { verified: false; reason: string };

/**
 * That an event, as the gateway serves it, is in the audit log at the latest
 * signed checkpoint: its leaf is recomputed here from the event itself, the
 * proof's checkpoint must be the latest one of its log, and the audit path
 * must lead to that checkpoint's root.
 */
export async function verifyEventInLog(
  event: unknown,
  proof: InclusionProof,
  latest: readonly SignedCheckpoint[],
  sha256: Sha256 = webCryptoSha256,
): Promise<ProofVerdict> {
  const leaf = await auditLeafHashOf(event, sha256);
  if (toHex(leaf) !== proof.leafHash) return { verified: false, reason: 'the event does not hash to its leaf' };
  const checkpoint = latest.find((c) => c.logId === proof.logId);
  if (!checkpoint) return { verified: false, reason: `no latest checkpoint of ${proof.logId}` };
  if (checkpoint.treeSize !== proof.treeSize || checkpoint.rootHash !== proof.checkpoint.rootHash)
    return { verified: false, reason: `the proof is not at the latest checkpoint of ${proof.logId}` };
  const included = await verifyInclusion(
    leaf,
    proof.leafIndex,
    proof.treeSize,
    proof.proof.map(fromHex),
    fromHex(checkpoint.rootHash),
    sha256,
  );
  return included ? { verified: true } : { verified: false, reason: 'the audit path does not lead to the root' };
}
