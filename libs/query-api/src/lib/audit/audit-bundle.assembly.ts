import { BUNDLE_FORMAT, eventIdsIn, type AuditBundle, type BundledEvent } from '@prov/audit';
import type { SignedCheckpoint } from '@prov/integrity';
import { traceOfPrediction, type TraceLevel } from '@prov/lineage-queries';
import { AuditLogStore, ProofFailure, inclusionProofOf } from '@prov/lineage-store';
import { readRecordedPredictions, type ViewReader } from '@prov/projections';
import type { SealedValues } from '../views/sealed-values';

export type BundleFailure = { kind: 'unknown-prediction' } | ({ eventId: string } & ProofFailure);

/**
 * One prediction's audit bundle: its trace, every event the three view
 * documents it is read from were folded from (so a verifier can fold them
 * again), each as published with its inclusion proof at its log's latest
 * checkpoint, those checkpoints, and the keys that signed them and the events.
 */
export async function assembleBundle(
  views: ViewReader,
  auditLog: AuditLogStore,
  predictionId: string,
  options: { level: TraceLevel; redacted: boolean; now: Date },
  sealed: SealedValues,
): Promise<AuditBundle | BundleFailure> {
  const folded = await traceOfPrediction(views, predictionId, {
    level: options.level,
    revealSensitive: !options.redacted,
  });
  if (!folded) return { kind: 'unknown-prediction' };
  const trace = options.redacted ? folded : await sealed.open(folded);
  const [predictions, nodes, lineages] = await Promise.all([
    readRecordedPredictions(views, [predictionId]),
    views.get('nodes', [trace.prediction.deploymentId]),
    views.get('model_lineage', [trace.prediction.modelVersionId]),
  ]);
  const eventIds = eventIdsIn(trace, [...predictions.values(), ...nodes.values(), ...lineages.values()]);
  const events: BundledEvent[] = [];
  const checkpoints = new Map<string, SignedCheckpoint>();
  for (const eventId of eventIds) {
    const proof = await inclusionProofOf(auditLog, eventId);
    if ('kind' in proof) return { eventId, ...proof };
    const record = await auditLog.recordByEventId(eventId);
    if (!record) return { eventId, kind: 'unknown-event' };
    checkpoints.set(`${proof.logId}#${proof.treeSize}`, proof.checkpoint);
    events.push({
      eventId,
      logId: proof.logId,
      leafIndex: proof.leafIndex,
      leafHash: proof.leafHash,
      treeSize: proof.treeSize,
      proof: proof.proof,
      event: JSON.parse(record.envelope),
    });
  }
  return {
    format: BUNDLE_FORMAT,
    predictionId,
    createdAt: options.now.toISOString(),
    level: options.level,
    redacted: options.redacted,
    trace,
    events,
    checkpoints: [...checkpoints.values()],
    keys: await auditLog.keys(),
  };
}
