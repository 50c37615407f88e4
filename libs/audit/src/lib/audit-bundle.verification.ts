import { ProvenanceEvent, parseEvent } from '@prov/contracts';
import { verifyInclusion } from '@prov/integrity';
import { acceptOpenedSealedValues, traceOfPrediction } from '@prov/lineage-queries';
import { InMemoryViews, projectEvents } from '@prov/projections';
import { BUNDLE_FORMAT, type AuditBundle, type Divergence, type PublicKeyRecord } from './audit-evidence';
import { AuditKeys, DEFAULT_CHECKPOINT_SIGNERS, checkpointSignatureDivergence, envelopeDivergence } from './audit-keys';
import { eventIdOf, leafOf } from './audit-log.verification';
import { firstDifference } from './first-difference';

export interface BundleVerificationOptions {
  /** Keys to trust instead of the bundle's own (pinned out of band); the bundle's keys are used when absent. */
  trustedKeys?: PublicKeyRecord[];
  checkpointSigners?: string[];
  requireSignatures?: boolean;
}

export interface BundleVerificationReport {
  ok: boolean;
  predictionId: string;
  events: number;
  /** Where the keys came from: pinned by the verifier, or carried by the bundle (self-consistent only). */
  keysFrom: 'trusted' | 'bundle';
  divergence?: Divergence;
}

/**
 * Verifies an audit bundle offline: each checkpoint's signature; each
 * event's digest, signature, leaf (against the stored one) and inclusion
 * proof to its checkpoint's root; then that the trace is what its events
 * fold to, by folding them again with the projections and assembling the
 * trace at the bundle's level and redaction (so a redacted value is checked
 * through its digest). Reports the first divergence, naming the event, or
 * the view document and field.
 */
export async function verifyBundle(
  bundle: AuditBundle,
  options: BundleVerificationOptions = {},
): Promise<BundleVerificationReport> {
  const keysFrom = options.trustedKeys ? 'trusted' : 'bundle';
  const report = (divergence?: Divergence): BundleVerificationReport => ({
    ok: divergence === undefined,
    predictionId: bundle.predictionId,
    events: bundle.events?.length ?? 0,
    keysFrom,
    ...(divergence ? { divergence } : {}),
  });
  if (bundle.format !== BUNDLE_FORMAT || !Array.isArray(bundle.events) || !Array.isArray(bundle.checkpoints)) {
    return report({
      kind: 'unreadable-event',
      expected: BUNDLE_FORMAT,
      found: String(bundle.format),
      message: 'this is not an audit bundle of a known format',
    });
  }
  const keys = new AuditKeys(options.trustedKeys ?? bundle.keys ?? []);
  const signers = options.checkpointSigners ?? DEFAULT_CHECKPOINT_SIGNERS;
  for (const checkpoint of bundle.checkpoints) {
    const forged = checkpointSignatureDivergence(checkpoint, keys, signers);
    if (forged) return report(forged);
  }
  const events: ProvenanceEvent[] = [];
  for (const bundled of bundle.events) {
    const place = { logId: bundled.logId, index: bundled.leafIndex };
    const envelope = envelopeDivergence(bundled.event, keys, options.requireSignatures ?? true, place);
    if (envelope) return report(envelope);
    const eventId = eventIdOf(bundled.event);
    const leaf = leafOf(bundled.event);
    const checkpoint = bundle.checkpoints.find((c) => c.logId === bundled.logId && c.treeSize === bundled.treeSize);
    const proven =
      checkpoint !== undefined &&
      verifyInclusion(
        leaf,
        bundled.leafIndex,
        bundled.treeSize,
        bundled.proof.map((h) => Buffer.from(h, 'hex')),
        Buffer.from(checkpoint.rootHash, 'hex'),
      );
    if (!proven) {
      return report({
        kind: 'inclusion-proof',
        ...place,
        eventId,
        expected: checkpoint?.rootHash ?? `a checkpoint of ${bundled.logId} at tree size ${bundled.treeSize}`,
        found: leaf.toString('hex'),
        message: `event ${eventId} is not proven in ${bundled.logId} at tree size ${bundled.treeSize}`,
      });
    }
    if (bundled.leafHash !== leaf.toString('hex')) {
      return report({
        kind: 'stored-leaf',
        ...place,
        eventId,
        expected: leaf.toString('hex'),
        found: bundled.leafHash,
        message: `the stored leaf of event ${eventId} differs from the event, which the signed root confirms`,
      });
    }
    const parsed = parseEvent(bundled.event);
    if (!parsed.ok) {
      return report({
        kind: 'unreadable-event',
        ...place,
        eventId,
        expected: 'an event of the contracts',
        found: parsed.problems.map((p) => `${p.path}: ${p.problem}`).join('; '),
        message: `event ${eventId} cannot be folded`,
      });
    }
    events.push(parsed.value);
  }
  return report(await traceDivergence(bundle, events));
}

/** Where the bundle's trace differs from the trace its events fold to. */
async function traceDivergence(bundle: AuditBundle, events: ProvenanceEvent[]): Promise<Divergence | undefined> {
  const views = new InMemoryViews();
  await projectEvents(events, views);
  const expected = await traceOfPrediction(views, bundle.predictionId, {
    level: bundle.level,
    revealSensitive: !bundle.redacted,
  });
  // Sealed values fold sealed; the bundle shows them opened, or as their digest once erased.
  const difference = firstDifference(expected ? acceptOpenedSealedValues(expected, bundle.trace) : null, bundle.trace);
  if (!difference) return undefined;
  const document = documentOf(difference.path, expected ?? undefined, bundle.predictionId);
  return {
    kind: 'trace-field',
    document,
    path: difference.path,
    expected: JSON.stringify(difference.expected) ?? 'nothing',
    found: JSON.stringify(difference.found) ?? 'nothing',
    message: `the trace's ${difference.path} (from ${document}) is not what the bundle's events fold to`,
  };
}

/** The view document a trace path was read from (traceOfPrediction reads three); an integrity link by its link's name. */
function documentOf(
  path: string,
  trace:
    { prediction: { deploymentId: string; modelVersionId: string }; integrity: Array<{ link: string }> } | undefined,
  predictionId: string,
): string {
  const link = /^integrity\[(\d+)\]/.exec(path);
  const top = link ? (trace?.integrity[Number(link[1])]?.link ?? '') : path.split(/[.[]/)[0];
  if (top === 'prediction') return `predictions/${predictionId}`;
  if (top.startsWith('deployment')) return `nodes/${trace?.prediction.deploymentId ?? 'deployment'}`;
  return `model_lineage/${trace?.prediction.modelVersionId ?? 'model version'}`;
}
