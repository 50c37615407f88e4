import { parseEvent } from '@prov/contracts';
import {
  SignedCheckpoint,
  generateSigningKeyPair,
  inclusionProof,
  merkleRoot,
  signCheckpoint,
  type SigningKeyPair,
} from '@prov/integrity';
import { traceOfPrediction } from '@prov/lineage-queries';
import { InMemoryViews, projectEvents, readRecordedPredictions } from '@prov/projections';
import { BUNDLE_FORMAT, type AuditBundle, type LoggedEvent, type PublicKeyRecord } from './audit-evidence';
import { leafOf } from './audit-log.verification';
import { eventIdsIn } from './bundle-event-ids';

export const LOG_ID = 'auditlog:provenance.test.v1.p0';

/**
 * A signed scenario (libs/testing's buildProvenanceScenario) laid out as one audit log, as the projector would
 * have made it: the events as published, their stored leaves, and signed
 * checkpoints every `every` leaves and at the end.
 */
export function auditTestLog(
  scenario: { messages: Array<{ value: Buffer; event?: unknown }>; signers: Record<string, SigningKeyPair> },
  every = 16,
) {
  const projector: SigningKeyPair = generateSigningKeyPair();
  const published = scenario.messages.filter((m) => m.event).map((m) => JSON.parse(m.value.toString('utf8')));
  const leaves = published.map(leafOf);
  const events: LoggedEvent[] = published.map((event, index) => ({
    logId: LOG_ID,
    index,
    offset: String(index),
    leafHash: leaves[index].toString('hex'),
    event,
  }));
  const sign = (treeSize: number): SignedCheckpoint =>
    signCheckpoint(
      {
        logId: LOG_ID,
        treeSize,
        rootHash: merkleRoot(leaves, treeSize).toString('hex'),
        signedAt: `2026-12-01T10:00:00.${String(treeSize).padStart(3, '0')}Z`,
      },
      projector.privateKey,
      projector.keyId,
    );
  const sizes = [
    ...new Set([
      ...Array.from({ length: Math.floor(leaves.length / every) }, (_, i) => (i + 1) * every),
      leaves.length,
    ]),
  ];
  const checkpoints = sizes.map(sign);
  const keys: PublicKeyRecord[] = [
    { keyId: projector.keyId, service: 'projector', publicKey: projector.publicKeyPem },
    ...Object.entries(scenario.signers).map(([service, pair]) => ({
      keyId: pair.keyId,
      service,
      publicKey: pair.publicKeyPem,
    })),
  ];

  /** The bundle of a prediction, as the gateway assembles it, at the last checkpoint. */
  const bundleOf = async (predictionId: string, redacted = false): Promise<AuditBundle> => {
    const views = new InMemoryViews();
    await projectEvents(
      published.map((e) => {
        const parsed = parseEvent(e);
        if (!parsed.ok) throw new Error(`scenario event ${e.eventId} does not parse`);
        return parsed.value;
      }),
      views,
    );
    const trace = await traceOfPrediction(views, predictionId, { level: 'full', revealSensitive: !redacted });
    if (!trace) throw new Error(`no prediction ${predictionId} in the scenario`);
    const docs = [
      ...(await readRecordedPredictions(views, [predictionId])).values(),
      ...(await views.get('nodes', [trace.prediction.deploymentId])).values(),
      ...(await views.get('model_lineage', [trace.prediction.modelVersionId])).values(),
    ];
    const ids = eventIdsIn(trace, docs);
    const last = checkpoints[checkpoints.length - 1];
    return {
      format: BUNDLE_FORMAT,
      predictionId,
      createdAt: '2026-12-01T11:00:00.000Z',
      level: 'full',
      redacted,
      trace: JSON.parse(JSON.stringify(trace)),
      events: ids.map((eventId) => {
        const index = published.findIndex((e) => e.eventId === eventId);
        return {
          eventId,
          logId: LOG_ID,
          leafIndex: index,
          leafHash: leaves[index].toString('hex'),
          treeSize: last.treeSize,
          proof: inclusionProof(index, last.treeSize, leaves).map((h) => h.toString('hex')),
          event: structuredClone(published[index]),
        };
      }),
      checkpoints: [last],
      keys,
    };
  };

  return { scenario, projector, published, leaves, events, checkpoints, keys, sign, bundleOf };
}
