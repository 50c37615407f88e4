import type { SignedCheckpoint } from './checkpoint-signature';

/** An event's inclusion in its log's tree at a signed checkpoint (RFC 9162 2.1.3), hashes in hex. */
export interface InclusionProof {
  eventId: string;
  logId: string;
  leafIndex: number;
  /** The leaf hash (hex) the platform stored. */
  leafHash: string;
  treeSize: number;
  /** RFC 9162 audit path, hex, at the checkpoint of `treeSize`. */
  proof: string[];
  checkpoint: SignedCheckpoint;
}

/** That a log's later checkpoint extends an earlier one (RFC 9162 2.1.4), hashes in hex. */
export interface ConsistencyProof {
  logId: string;
  from: SignedCheckpoint;
  to: SignedCheckpoint;
  proof: string[];
}
