import type { SubjectKeyStore } from '@prov/lineage-store';
import { openSealedValues, sealingKeyIds, type PredictionTrace } from '@prov/lineage-queries';

/**
 * Opens the sealed values of a trace for those cleared to read sensitive
 * values, with the data subjects' keys; a value whose key an erasure
 * destroyed is shown as its digest, marked erased. Without a key store every
 * sealed value is shown as its digest.
 */
export class SealedValues {
  constructor(private readonly keys: SubjectKeyStore | undefined) {}

  async open(trace: PredictionTrace): Promise<PredictionTrace> {
    const ids = sealingKeyIds(trace);
    if (ids.length === 0) return trace;
    const states = this.keys ? await this.keys.keys(ids) : new Map();
    return openSealedValues(trace, (keyId) => {
      const state = states.get(keyId);
      return state === undefined ? undefined : state.state === 'destroyed' ? 'destroyed' : state.key;
    });
  }
}
