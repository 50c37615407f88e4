import { digestOf } from '@prov/integrity';
import type { ProvenancePolicy } from './provenance-policy.document';

/**
 * `sha256:<hex>` of the RFC 8785 canonical JSON of a policy as validatePolicy
 * returns it: the same policy in YAML or JSON, in any key order, has one
 * digest, which promotions record (`model.promoted`'s `policyDigest`).
 */
export function policyDigest(policy: ProvenancePolicy): string {
  return digestOf(policy);
}
