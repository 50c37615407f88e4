export {
  IntegrityError,
  InvalidDigestError,
  InvalidManifestError,
  InvalidProofRequestError,
  InvalidSigningKeyError,
  NonCanonicalizableValueError,
} from './lib/integrity.errors';
export { canonicalJson } from './lib/canonical-json';
export { digestOf, isDigest, parseDigest, payloadDigest, sha256Hex } from './lib/digest';
export { buildManifest } from './lib/file-manifest';
export type { ManifestFile } from './lib/file-manifest';
export { artifactManifestDigest, dataSliceId, datasetVersionId } from './lib/content-ids';
export type { DatasetManifest } from './lib/content-ids';
export { generateSigningKeyPair, keyIdOf, signingKeyPairFromPem } from './lib/signing-key';
export type { SigningKeyPair } from './lib/signing-key';
export {
  envelopeSigningInput,
  eventDigest,
  signEnvelope,
  verifyEnvelope,
  verifyEnvelopeSignature,
} from './lib/envelope-signature';
export type { EnvelopeRejection, EnvelopeVerification } from './lib/envelope-signature';
export { EMPTY_TREE_HASH, leafHash, merkleRoot, nodeHash } from './lib/merkle-tree';
export type { Hash, LeafHashSource, SubtreeAddress, SubtreeRoot } from './lib/merkle-tree';
export {
  consistencyProof,
  consistencyProofSubtrees,
  inclusionProof,
  inclusionProofSubtrees,
  verifyConsistency,
  verifyInclusion,
} from './lib/merkle-proof';
export { MerkleAccumulator } from './lib/merkle-accumulator';
export { InMemoryMerkleTree } from './lib/in-memory-merkle-tree';
export { auditLeafHash, checkpointSigningInput, signCheckpoint, verifyCheckpoint } from './lib/checkpoint-signature';
export type { CheckpointBody, SignedCheckpoint } from './lib/checkpoint-signature';
export type { ConsistencyProof, InclusionProof } from './lib/log-proofs';
export { generateSubjectKey, openSealedValue, sealValue, SealedValueError } from './lib/sealed-value';
export { generateKeyEncryptionKey, KeyUnwrapError, unwrapKey, wrapKey, type WrappedKey } from './lib/key-wrapping';
