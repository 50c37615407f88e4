import { digestOf } from '@prov/integrity';
import type { SealedValue } from '@prov/contracts';
import { compareText } from './ordering';
import type { PredictionClaimDocument } from './prediction.projection';
import type { FlagSeverity } from '@prov/contracts';

/**
 * What makes two records of one prediction id the same prediction: who
 * served it with what, on which input, giving which output. The time `at`
 * is not among them: a client that retries may stamp it again.
 */
export const PREDICTION_CONTENT_FIELDS = [
  'deploymentId',
  'modelVersionId',
  'artifactDigest',
  'inputDigest',
  'outputDigest',
  'output',
] as const;
export type PredictionContentField = (typeof PREDICTION_CONTENT_FIELDS)[number];

/** Who served a prediction with what, on which input, and the digest of the output it names. */
export interface PredictionServing {
  deploymentId: string;
  modelVersionId: string;
  artifactDigest: string;
  inputDigest: string;
  outputDigest?: string;
}

/** A record's content as compared: the output by the digest of its value, sealed or not. */
export interface PredictionContent extends PredictionServing {
  output?: unknown;
  sealedOutput?: SealedValue;
}

/** The fields in which two records of one id differ (present in one only counts as differing). */
export function differingFields(a: PredictionContent, b: PredictionContent): PredictionContentField[] {
  const differing: PredictionContentField[] = [];
  for (const field of PREDICTION_CONTENT_FIELDS) {
    const left = field === 'output' ? outputIdentity(a) : a[field];
    const right = field === 'output' ? outputIdentity(b) : b[field];
    if (left !== right) differing.push(field);
  }
  return differing;
}

/** The digest of the output value a record carries: a sealed value names it, a clear one is digested. */
export function outputIdentity(record: Pick<PredictionContent, 'output' | 'sealedOutput'>): string | undefined {
  if (record.sealedOutput) return record.sealedOutput.digest;
  return record.output === undefined ? undefined : digestOf(record.output);
}

/** Shown per record in a conflict alert; more records than this are counted, not listed. */
const LISTED_RECORDS = 20;

export interface ConflictingPredictionDetails {
  predictionId: string;
  /** The record that stands: the one of the least event id. */
  recordedBy: { eventId: string; batchId: string };
  /** Every field in which some record differs from the one that stands. */
  fields: PredictionContentField[];
  records: number;
  /** The records that differ from the one that stands, least event id first (at most 20). */
  conflicting: Array<{
    eventId: string;
    batchId: string;
    deploymentId: string;
    modelVersionId: string;
    recordedAt: string;
    fields: PredictionContentField[];
  }>;
}

export const CONFLICTING_PREDICTION = 'conflicting-prediction' as const;
export const CONFLICT_SEVERITY: FlagSeverity = 'high';

/**
 * The conflict that the records of one contested prediction id show, from
 * all of them (least event id first), or null when they all agree. It
 * depends only on which records exist, not on the order they arrived in.
 */
export function predictionConflict(claims: readonly PredictionClaimDocument[]): {
  details: ConflictingPredictionDetails;
  modelVersionId: string;
  firstRecordedAt: string;
} | null {
  const [standing, ...others] = [...claims].sort((a, b) => compareText(a.eventId, b.eventId));
  if (!standing) return null;
  const conflicting = others
    .map((claim) => ({ claim, fields: differingFields(standing, claim) }))
    .filter(({ fields }) => fields.length > 0);
  if (conflicting.length === 0) return null;
  const fields = PREDICTION_CONTENT_FIELDS.filter((field) => conflicting.some((c) => c.fields.includes(field)));
  return {
    modelVersionId: standing.modelVersionId,
    // When the record stood contradicted: the earliest trusted time of a contradicting record.
    firstRecordedAt: conflicting.map(({ claim }) => claim.recordedAt).sort(compareText)[0],
    details: {
      predictionId: standing.predictionId,
      recordedBy: { eventId: standing.eventId, batchId: standing.batchId },
      fields,
      records: claims.length,
      conflicting: conflicting.slice(0, LISTED_RECORDS).map(({ claim, fields: differing }) => ({
        eventId: claim.eventId,
        batchId: claim.batchId,
        deploymentId: claim.deploymentId,
        modelVersionId: claim.modelVersionId,
        recordedAt: claim.recordedAt,
        fields: differing,
      })),
    },
  };
}
