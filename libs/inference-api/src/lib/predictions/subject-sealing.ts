import type { JsonValue, PredictionRecordV2 } from '@prov/contracts';
import { sealValue } from '@prov/integrity';
import { sealingContext } from '@prov/lineage-queries';
import {
  rotateKeyEncryptionKeys,
  type KeyEncryptionKeys,
  type KeyRotation,
  type SubjectKey,
  type SubjectKeyHistory,
  type SubjectKeyStore,
} from '@prov/lineage-store';
import { LRUCache } from 'lru-cache';

/** The data subjects' keys, or null when this service was given none (then no prediction may name a subject). */
export const SUBJECT_SEALING = Symbol('SubjectSealing');

/** How long a replica seals with a key it read before reading it again (an erasure elsewhere is seen by then). */
export const SUBJECT_KEY_CACHE_MS = 30_000;

/**
 * Seals what a prediction says about its data subject (output, feature
 * snapshot) with the subject's key, so no value about a person reaches the
 * immutable log in the clear, and destroying the key erases it. The
 * subject itself is stored and logged only as its pseudonym (a keyed hash
 * under a key of the keyring), never by its id.
 */
export class SubjectSealing {
  /** Keys and pseudonyms by subject id. */
  private readonly cache = new LRUCache<string, SubjectKey & { pseudonym: string }>({
    max: 10_000,
    ttl: SUBJECT_KEY_CACHE_MS,
  });

  constructor(
    private readonly keys: SubjectKeyStore,
    private readonly keks: KeyEncryptionKeys,
  ) {}

  async seal(predictions: PredictionRecordV2[]): Promise<PredictionRecordV2[]> {
    const subjects = [...new Set(predictions.map((p) => p.dataSubject).filter((s): s is string => s !== undefined))];
    if (subjects.length === 0) return predictions;
    const keys = new Map(await Promise.all(subjects.map(async (s) => [s, await this.keyOf(s)] as const)));
    return predictions.map((prediction) => {
      if (prediction.dataSubject === undefined) return prediction;
      const { pseudonym, keyId, key } = keys.get(prediction.dataSubject) as SubjectKey & { pseudonym: string };
      const { output, featureSnapshot, ...rest } = prediction;
      const id = prediction.predictionId;
      const sealedOutput =
        output === undefined ? undefined : sealValue(output as JsonValue, key, keyId, sealingContext(id, 'output'));
      return {
        ...rest,
        dataSubject: pseudonym,
        ...(sealedOutput && rest.outputDigest === undefined ? { outputDigest: sealedOutput.digest } : {}),
        ...(sealedOutput ? { sealedOutput } : {}),
        ...(featureSnapshot === undefined
          ? {}
          : { sealedFeatureSnapshot: sealValue(featureSnapshot, key, keyId, sealingContext(id, 'featureSnapshot')) }),
      };
    });
  }

  /** The pseudonym the subject is stored and logged as. */
  pseudonym(dataSubject: string): Promise<string> {
    return this.keks.pseudonym(dataSubject);
  }

  /**
   * Destroys the subject's keys, kept under its pseudonym (and under its
   * own id, as they were before subjects had pseudonyms); answers the ids destroyed.
   */
  async erase(dataSubject: string): Promise<string[]> {
    this.cache.delete(dataSubject);
    const pseudonym = await this.pseudonym(dataSubject);
    return [...(await this.keys.destroy(pseudonym)), ...(await this.keys.destroy(dataSubject))].sort();
  }

  /** Whether the subject ever had a key, and its keys destroyed so far. */
  async history(dataSubject: string): Promise<SubjectKeyHistory> {
    const [pseudonymous, legacy] = await Promise.all([
      this.keys.history(await this.pseudonym(dataSubject)),
      this.keys.history(dataSubject),
    ]);
    return {
      known: pseudonymous.known || legacy.known,
      destroyed: [...pseudonymous.destroyed, ...legacy.destroyed].sort((a, b) => a.keyId.localeCompare(b.keyId)),
    };
  }

  /**
   * Rotates the key-encryption key: every live subject key is wrapped again
   * under a new one, and the earlier ones are destroyed.
   */
  rotate(): Promise<KeyRotation> {
    return rotateKeyEncryptionKeys(this.keks, this.keys);
  }

  private async keyOf(dataSubject: string): Promise<SubjectKey & { pseudonym: string }> {
    const cached = this.cache.get(dataSubject);
    if (cached) return cached;
    const pseudonym = await this.pseudonym(dataSubject);
    const key = { ...(await this.keys.activeKey(pseudonym)), pseudonym };
    this.cache.set(dataSubject, key);
    return key;
  }
}
