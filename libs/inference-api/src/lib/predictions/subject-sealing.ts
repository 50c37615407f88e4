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
 * immutable log in the clear, and destroying the key erases it.
 */
export class SubjectSealing {
  private readonly cache = new LRUCache<string, SubjectKey>({ max: 10_000, ttl: SUBJECT_KEY_CACHE_MS });

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
      const { keyId, key } = keys.get(prediction.dataSubject) as SubjectKey;
      const { output, featureSnapshot, ...rest } = prediction;
      const id = prediction.predictionId;
      const sealedOutput =
        output === undefined ? undefined : sealValue(output as JsonValue, key, keyId, sealingContext(id, 'output'));
      return {
        ...rest,
        ...(sealedOutput && rest.outputDigest === undefined ? { outputDigest: sealedOutput.digest } : {}),
        ...(sealedOutput ? { sealedOutput } : {}),
        ...(featureSnapshot === undefined
          ? {}
          : { sealedFeatureSnapshot: sealValue(featureSnapshot, key, keyId, sealingContext(id, 'featureSnapshot')) }),
      };
    });
  }

  /** Destroys the subject's keys; answers the ids destroyed. */
  async erase(dataSubject: string): Promise<string[]> {
    this.cache.delete(dataSubject);
    return this.keys.destroy(dataSubject);
  }

  /** Whether the subject ever had a key, and its keys destroyed so far. */
  history(dataSubject: string): Promise<SubjectKeyHistory> {
    return this.keys.history(dataSubject);
  }

  /**
   * Rotates the key-encryption key: every live subject key is wrapped again
   * under a new one, and the earlier ones are destroyed.
   */
  rotate(): Promise<KeyRotation> {
    return rotateKeyEncryptionKeys(this.keks, this.keys);
  }

  private async keyOf(dataSubject: string): Promise<SubjectKey> {
    const cached = this.cache.get(dataSubject);
    if (cached) return cached;
    const key = await this.keys.activeKey(dataSubject);
    this.cache.set(dataSubject, key);
    return key;
  }
}
