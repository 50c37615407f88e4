import type { InclusionProof, SignedCheckpoint } from '@prov/integrity';
import type { PredictionTrace } from '@prov/lineage-queries';
import type { IntegrityCheck } from '../lib/badges/chain-badges';
import { CheckpointKey, verifyEventInLog } from '../lib/integrity/inclusion-verifier';
import { GatewayClient, GatewayError, segment } from './gateway-client';

/**
 * Checks, in the browser, that every event on a trace's chain is in the
 * signed audit log: each event is fetched as published, hashed here to its
 * leaf, and its inclusion proof verified against the latest checkpoint,
 * whose Ed25519 signature is checked against the log's keys.
 */
export async function checkChainIntegrity(client: GatewayClient, trace: PredictionTrace): Promise<IntegrityCheck> {
  if (trace.integrity.length === 0) return { kind: 'pending', reason: 'no event of the chain is logged yet' };
  try {
    const [{ checkpoints }, { keys }] = await Promise.all([
      client.get<{ checkpoints: SignedCheckpoint[] }>('/v1/audit/checkpoints/latest'),
      client.get<{ keys: CheckpointKey[] }>('/v1/audit/keys'),
    ]);
    for (const link of trace.integrity) {
      const [proof, logged] = await Promise.all([
        client.get<InclusionProof>(link.proof),
        client.get<{ event: unknown }>(`/v1/audit/events/${segment(link.eventId)}`),
      ]);
      const verdict = await verifyEventInLog(logged.event, proof, checkpoints, keys);
      if (!verdict.verified) return { kind: 'failed', reason: `${link.link}: ${verdict.reason}` };
    }
    return { kind: 'verified', events: trace.integrity.length };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    if (error.status === 403) return { kind: 'forbidden' };
    // Not read into the log yet (404) or not covered by a signed checkpoint yet (409).
    if (error.status === 404 || error.status === 409) return { kind: 'pending', reason: error.message };
    return { kind: 'failed', reason: error.message };
  }
}
