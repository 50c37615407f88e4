import type { EventOf } from '@prov/contracts';
import { verifyEnvelope } from '@prov/integrity';
import type { KeyObject } from 'node:crypto';
import { PREDICTIONS_PER_BATCH } from '../bench-options';
import type { ProvenanceWorkload } from '../workload/provenance-workload';
import { ratePerSecond } from './latency-sample';

/**
 * Predictions per second whose batches one process can parse and verify
 * (digest and signature): the least work any projector does per event.
 */
export function verificationRate(
  workload: ProvenanceWorkload,
  sample: ReadonlyArray<EventOf<'prediction.batch.recorded'>>,
): number {
  const keys = new Map<string, KeyObject>(Object.values(workload.signers).map((pair) => [pair.keyId, pair.publicKey]));
  const messages = sample.slice(0, 20).map((event) => workload.message(event).value);
  let next = 0;
  const batches = ratePerSecond(2, () => {
    const verification = verifyEnvelope(JSON.parse(messages[next++ % messages.length].toString('utf8')), (id) =>
      keys.get(id),
    );
    if (!verification.ok) throw new Error(`a bench event does not verify: ${verification.reason}`);
  });
  return batches * PREDICTIONS_PER_BATCH;
}
