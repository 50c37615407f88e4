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

/** A key that signs the audit log's checkpoints, as `GET /v1/audit/keys` lists it. */
export interface CheckpointKey {
  keyId: string;
  /** SPKI PEM. */
  publicKey: string;
}

const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const pemBody = (pem: string) => pem.replace(/-----(BEGIN|END) PUBLIC KEY-----|\s/g, '');
const base64UrlToBase64 = (text: string) => text.replace(/-/g, '+').replace(/_/g, '/');

/**
 * Whether a checkpoint was signed, as it is, by the key it names: Ed25519
 * over the RFC 8785 canonical JSON of its body, as libs/integrity's
 * verifyCheckpoint checks with node:crypto.
 */
export async function verifyCheckpointSignature(
  checkpoint: SignedCheckpoint,
  keys: readonly CheckpointKey[],
): Promise<boolean> {
  const key = keys.find((k) => k.keyId === checkpoint.keyId);
  if (!key || !/^[A-Za-z0-9_-]{86}$/.test(checkpoint.signature)) return false;
  const { logId, treeSize, rootHash, signedAt, keyId } = checkpoint;
  const body = canonicalize({ logId, treeSize, rootHash, signedAt, keyId }) as string;
  try {
    const publicKey = await crypto.subtle.importKey(
      'spki',
      fromBase64(pemBody(key.publicKey)) as Uint8Array<ArrayBuffer>,
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
    return await crypto.subtle.verify(
      { name: 'Ed25519' },
      publicKey,
      fromBase64(base64UrlToBase64(checkpoint.signature)) as Uint8Array<ArrayBuffer>,
      new TextEncoder().encode(body),
    );
  } catch {
    // A key the browser cannot read verifies nothing.
    return false;
  }
}

export type ProofVerdict = { verified: true } | { verified: false; reason: string };

/**
 * That an event, as the gateway serves it, is in the audit log at the latest
 * signed checkpoint: its leaf is recomputed here from the event itself, the
 * proof's checkpoint must be the latest one of its log and carry a valid
 * signature of a log key, and the audit path must lead to its root.
 */
export async function verifyEventInLog(
  event: unknown,
  proof: InclusionProof,
  latest: readonly SignedCheckpoint[],
  keys: readonly CheckpointKey[],
  sha256: Sha256 = webCryptoSha256,
): Promise<ProofVerdict> {
  const leaf = await auditLeafHashOf(event, sha256);
  if (toHex(leaf) !== proof.leafHash) return { verified: false, reason: 'the event does not hash to its leaf' };
  const checkpoint = latest.find((c) => c.logId === proof.logId);
  if (!checkpoint) return { verified: false, reason: `no latest checkpoint of ${proof.logId}` };
  if (checkpoint.treeSize !== proof.treeSize || checkpoint.rootHash !== proof.checkpoint.rootHash)
    return { verified: false, reason: `the proof is not at the latest checkpoint of ${proof.logId}` };
  if (!(await verifyCheckpointSignature(checkpoint, keys)))
    return { verified: false, reason: `the latest checkpoint of ${proof.logId} is not signed by a log key` };
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
