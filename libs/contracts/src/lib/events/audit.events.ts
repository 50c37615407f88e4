import { IsInt, IsString, Length, Matches, Min } from 'class-validator';
import { IsEntityId, IsTimestamp } from '../validation/validators';

/** `audit.checkpoint.signed` v1: a signed Merkle tree head of the audit log (RFC 9162 hashing). */
export class AuditCheckpointSignedV1 {
  @IsEntityId('auditLog') logId!: string;
  @IsInt() @Min(0) treeSize!: number;
  @Matches(/^[0-9a-f]{64}$/, { message: 'rootHash must be 64 lowercase hex characters' }) rootHash!: string;
  @IsTimestamp() signedAt!: string;
  @IsString() @Length(1, 128) keyId!: string;
  /** Base64url Ed25519 signature over the checkpoint's canonical JSON without `signature`. */
  @Matches(/^[A-Za-z0-9_-]{86}$/, { message: 'signature must be a base64url Ed25519 signature (86 characters)' })
  signature!: string;
}
