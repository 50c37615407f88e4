import { SUBJECT_KEY_ID_PATTERN, type JsonValue, type SealedValue } from '@prov/contracts';
import { digestOf, openSealedValue, SealedValueError } from '@prov/integrity';
import type { PredictionTrace, TracedPrediction } from './prediction-trace.query';
import type { RedactedValue } from './redaction';

/** The fields of a traced prediction that may be sealed for its data subject. */
export const SEALABLE_PREDICTION_FIELDS = ['output', 'featureSnapshot'] as const;
export type SealablePredictionField = (typeof SEALABLE_PREDICTION_FIELDS)[number];

/** Where a sealed value belongs: authenticated with it, so it opens only there. */
export const sealingContext = (predictionId: string, field: SealablePredictionField): string =>
  `${predictionId}#${field}`;

export function isSealedValue(value: unknown): value is SealedValue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SealedValue>;
  return (
    v.alg === 'A256GCM' &&
    typeof v.keyId === 'string' &&
    SUBJECT_KEY_ID_PATTERN.test(v.keyId) &&
    typeof v.nonce === 'string' &&
    typeof v.ciphertext === 'string' &&
    typeof v.digest === 'string'
  );
}

/** The key ids a trace's sealed values need. */
export function sealingKeyIds(trace: PredictionTrace): string[] {
  const ids = SEALABLE_PREDICTION_FIELDS.map((field) => trace.prediction[field]).filter(isSealedValue);
  return [...new Set(ids.map((sealed) => sealed.keyId))];
}

/** A key as the gateway found it: the key, destroyed by an erasure, or not known to it at all. */
export type SealingKey = Buffer | 'destroyed' | undefined;

/**
 * The trace with each sealed value opened with its key, for those who may
 * read sensitive values. A value whose key was destroyed is shown as its
 * digest, marked erased; one whose key is unknown here (or that does not
 * open) as its digest only.
 */
export function openSealedValues(trace: PredictionTrace, keyOf: (keyId: string) => SealingKey): PredictionTrace {
  if (sealingKeyIds(trace).length === 0) return trace;
  const prediction: TracedPrediction = { ...trace.prediction };
  for (const field of SEALABLE_PREDICTION_FIELDS) {
    const sealed = prediction[field];
    if (!isSealedValue(sealed)) continue;
    (prediction as unknown as Record<string, unknown>)[field] = opened(
      sealed,
      keyOf(sealed.keyId),
      sealingContext(prediction.id, field),
    );
  }
  return { ...trace, prediction };
}

function opened(sealed: SealedValue, key: SealingKey, context: string): JsonValue | RedactedValue {
  if (key === 'destroyed') return { redacted: true, digest: sealed.digest, erased: true };
  if (key === undefined) return { redacted: true, digest: sealed.digest };
  try {
    return openSealedValue(sealed, key, context);
  } catch (error) {
    if (error instanceof SealedValueError) return { redacted: true, digest: sealed.digest };
    throw error;
  }
}

/**
 * `expected` (a trace folded from the events, its sealed values still sealed)
 * with each sealed value replaced by what `found` shows in its place, when
 * that is the value the sealed one names: the value itself (same digest) or
 * its digest, redacted or erased. A verifier compares the two traces after.
 */
export function acceptOpenedSealedValues(expected: PredictionTrace, found: unknown): PredictionTrace {
  const shown = (found as { prediction?: Record<string, unknown> } | null)?.prediction;
  if (!shown || sealingKeyIds(expected).length === 0) return expected;
  const prediction: TracedPrediction = { ...expected.prediction };
  for (const field of SEALABLE_PREDICTION_FIELDS) {
    const sealed = prediction[field];
    if (!isSealedValue(sealed) || !(field in shown)) continue;
    if (namesSealed(shown[field], sealed)) (prediction as unknown as Record<string, unknown>)[field] = shown[field];
  }
  return { ...expected, prediction };
}

function namesSealed(value: unknown, sealed: SealedValue): boolean {
  if (typeof value === 'object' && value !== null && (value as RedactedValue).redacted === true)
    return (value as RedactedValue).digest === sealed.digest;
  try {
    return digestOf(value) === sealed.digest;
  } catch {
    return false;
  }
}
