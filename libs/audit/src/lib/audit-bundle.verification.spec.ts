import { payloadDigest } from '@prov/integrity';
import { buildProvenanceScenario } from '@prov/testing';
import type { AuditBundle } from './audit-evidence';
import { verifyBundle } from './audit-bundle.verification';
import { auditTestLog } from './audit-test-log.test-helper';

const scenario = buildProvenanceScenario({
  datasets: 1,
  slicesPerDataset: 2,
  runs: 2,
  modelVersions: 2,
  deployments: 1,
  predictions: 12,
  predictionsPerBatch: 4,
});
const log = auditTestLog(scenario, 8);
const PREDICTION = 'pred:scenario-5';

type Trace = {
  prediction: { inputDigest: string; modelVersionId: string; deploymentId: string };
  run: { hyperparameters: Record<string, unknown> };
  datasets: Array<{ owner: { redacted: true; digest: string } }>;
};
const traceOf = (bundle: AuditBundle) => bundle.trace as Trace;

describe('verifyBundle', () => {
  let bundle: AuditBundle;
  let redacted: AuditBundle;
  beforeAll(async () => {
    bundle = await log.bundleOf(PREDICTION);
    redacted = await log.bundleOf(PREDICTION, true);
  });
  const copy = () => structuredClone(bundle);

  it('verifies a bundle offline: signatures, proofs, and the trace folded again from its events', async () => {
    const report = await verifyBundle(bundle);
    expect(report).toEqual({ ok: true, predictionId: PREDICTION, events: bundle.events.length, keysFrom: 'bundle' });
    // The chain: the batch, the deployment, the model version, its run and pipeline, slices and data.
    expect(bundle.events.length).toBeGreaterThan(8);
    expect((await verifyBundle(bundle, { trustedKeys: log.keys })).keysFrom).toBe('trusted');
  });

  it('verifies a redacted trace through the digests of the values it hides, and names a forged digest', async () => {
    expect(traceOf(redacted).datasets[0].owner).toMatchObject({ redacted: true });
    expect((await verifyBundle(redacted)).ok).toBe(true);
    const forged = structuredClone(redacted);
    traceOf(forged).datasets[0].owner.digest = payloadDigest('someone else');
    expect((await verifyBundle(forged)).divergence).toMatchObject({
      kind: 'trace-field',
      path: 'datasets[0].owner.digest',
      document: `model_lineage/${traceOf(bundle).prediction.modelVersionId}`,
      found: JSON.stringify(payloadDigest('someone else')),
    });
  });

  it('names the view document and field of a trace that its events do not give', async () => {
    const tampered = copy();
    const original = traceOf(bundle).prediction.inputDigest;
    traceOf(tampered).prediction.inputDigest = `sha256:${'0'.repeat(64)}`;
    expect((await verifyBundle(tampered)).divergence).toEqual({
      kind: 'trace-field',
      document: `predictions/${PREDICTION}`,
      path: 'prediction.inputDigest',
      expected: JSON.stringify(original),
      found: JSON.stringify(`sha256:${'0'.repeat(64)}`),
      message: expect.stringContaining('prediction.inputDigest'),
    });
    const link = copy();
    const links = (link.trace as { integrity: Array<{ link: string; payloadDigest: string }> }).integrity;
    const revision = links.findIndex((l) => l.link === 'deployment.revision');
    links[revision].payloadDigest = payloadDigest('another revision');
    expect((await verifyBundle(link)).divergence).toMatchObject({
      kind: 'trace-field',
      document: `nodes/${traceOf(bundle).prediction.deploymentId}`,
      path: `integrity[${revision}].payloadDigest`,
    });
    const lineage = copy();
    traceOf(lineage).run.hyperparameters = { ...traceOf(lineage).run.hyperparameters, layers: 99 };
    expect((await verifyBundle(lineage)).divergence).toMatchObject({
      kind: 'trace-field',
      document: `model_lineage/${traceOf(bundle).prediction.modelVersionId}`,
      path: 'run.hyperparameters.layers',
    });
  });

  it('names an event of the bundle whose payload was changed', async () => {
    const tampered = copy();
    const event = tampered.events[0].event as { eventId: string; payload: Record<string, unknown> };
    event.payload = { ...event.payload, extra: true };
    expect((await verifyBundle(tampered)).divergence).toMatchObject({
      kind: 'payload-digest',
      eventId: event.eventId,
      found: payloadDigest(event.payload),
    });
  });

  it('names a stored leaf that differs from its event, a proof that leads elsewhere, and a forged checkpoint', async () => {
    const leaf = copy();
    leaf.events[1].leafHash = 'ef'.repeat(32);
    expect((await verifyBundle(leaf)).divergence).toMatchObject({
      kind: 'stored-leaf',
      eventId: leaf.events[1].eventId,
      found: 'ef'.repeat(32),
      expected: bundle.events[1].leafHash,
    });
    const proof = copy();
    proof.events[2].proof[0] = '00'.repeat(32);
    expect((await verifyBundle(proof)).divergence).toMatchObject({
      kind: 'inclusion-proof',
      eventId: proof.events[2].eventId,
      expected: bundle.checkpoints[0].rootHash,
    });
    const forged = copy();
    forged.checkpoints[0].rootHash = '11'.repeat(32);
    expect((await verifyBundle(forged)).divergence).toMatchObject({ kind: 'checkpoint-signature' });
  });

  it('trusts pinned keys over the bundle own: a bundle signed by another platform fails', async () => {
    const pinned = log.keys.filter((k) => k.service !== 'projector');
    expect((await verifyBundle(bundle, { trustedKeys: pinned })).divergence).toMatchObject({
      kind: 'checkpoint-signature',
      found: `unknown-key (key ${log.projector.keyId})`,
    });
  });
});
