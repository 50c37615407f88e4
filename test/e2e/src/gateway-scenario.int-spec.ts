import type { EventOf, EventType } from '@prov/contracts';
import { auditLeafHash, verifyCheckpoint, verifyInclusion } from '@prov/integrity';
import { createPublicKey } from 'node:crypto';
import type { LineageComparison, PredictionTrace, SliceImpact } from '@prov/lineage-queries';
import { buildProvenanceScenario, uniqueName } from '@prov/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningServices, productionEnv } from './running-services';
import { publishScenario, scenarioTrustedKeys } from './scenario-publisher';

/**
 * The questions of DESIGN.md section 1 that the views answer, asked of the
 * query gateway over the projector's scenario (datasets, slices, runs, model
 * versions, deployments with a revision mid-stream, a revocation, two slice
 * flags and 24,000 predictions) on real Kafka and FerretDB. The expected
 * answers are worked out here from the events themselves, independently of
 * the projections.
 */
const scenario = buildProvenanceScenario({ predictions: 24_000 });
const events = scenario.messages.flatMap((m) => (m.event ? [m.event] : []));
const ofType = <T extends EventType>(type: T) => events.filter((e): e is EventOf<T> => e.type === type);

const batches = ofType('prediction.batch.recorded');
const runs = new Map(ofType('training.run.started').map((e) => [e.payload.runId, e.payload]));
const models = new Map(ofType('model.version.registered').map((e) => [e.payload.modelVersionId, e.payload]));
const slices = new Map(ofType('dataset.slice.defined').map((e) => [e.payload.sliceId, e.payload]));
const revision = ofType('deployment.revised')[0];

/** The batch that recorded a prediction. */
const batchOf = (predictionId: string) =>
  batches.find((b) => b.payload.predictions.some((p) => p.predictionId === predictionId)) as (typeof batches)[number];

describe('the query gateway answers the questions of the design over the projector scenario', () => {
  const services = new RunningServices();
  const topicPrefix = `${uniqueName('gateway')}.`;
  // A team's policy, as kept in its repository: no model trained on flagged data goes to production.
  const policyDir = mkdtempSync(join(tmpdir(), 'gateway-policies-'));
  writeFileSync(
    join(policyDir, 'production.yaml'),
    [
      'apiVersion: provenance/v1',
      'kind: ProvenancePolicy',
      'metadata: { name: production }',
      'spec:',
      '  captureLevel: standard',
      '  requiredFields: [seeds, hyperparameters, environment]',
      '  forbidFlaggedSlices: true',
      '  separationOfDuties: true',
      '',
    ].join('\n'),
  );

  beforeAll(async () => {
    await publishScenario(scenario, topicPrefix, 6);
    await services.start(['projector', 'query-gateway'], {
      ...productionEnv('gateway', topicPrefix),
      PROV_POLICY_DIR: policyDir,
      PROV_AUDIT_CHECKPOINT_SECONDS: '1',
      PROV_TRUSTED_KEYS: scenarioTrustedKeys(scenario),
    });
  }, 300_000);

  afterAll(async () => {
    await services.stop();
    rmSync(policyDir, { recursive: true, force: true });
  });

  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${services.urls['query-gateway']}${path}`, {
      headers: { authorization: `Bearer ${services.tokens.auditor}` },
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  /** The projector folds each topic on its own: ask until the answer holds, then assert it (so a wrong one fails). */
  const eventually = async <T>(path: string, holds: (answer: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 240_000;
    let last = await get<T>(path);
    while (!(last.status === 200 && holds(last.body)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      last = await get<T>(path);
    }
    expect(last.status).toBe(200);
    return last.body;
  };

  it('1. traces a prediction to its model version, run, pipeline, slices and dataset versions', async () => {
    const predictionId = batches[3].payload.predictions[17].predictionId;
    const batch = batchOf(predictionId);
    const model = models.get(batch.payload.modelVersionId);
    const run = runs.get(model?.runId ?? '');
    if (!model || !run) throw new Error('the scenario names a model version it never registered');
    const trace = await eventually<PredictionTrace>(
      `/v1/predictions/${predictionId}/trace?level=full`,
      (t) => t.deployment?.known === true && t.run !== null && t.slices.every((s) => s.known),
    );
    expect(trace).toMatchObject({
      prediction: { id: predictionId, deploymentId: batch.payload.deploymentId, modelVersionId: model.modelVersionId },
      deployment: { id: batch.payload.deploymentId, servedModelMatches: true },
      modelVersion: { id: model.modelVersionId, artifact: { digest: model.artifact.digest } },
      run: { id: run.runId, hyperparameters: run.hyperparameters, seeds: run.seeds, environment: run.environment },
      pipeline: { id: run.pipelineId },
    });
    // The full level also wants each evaluation slice's sampling fraction and metrics: the scenario records
    // fractions only for training slices, and evaluations of other slices than the run's.
    const evaluated = new Set(
      ofType('evaluation.recorded')
        .filter((e) => e.payload.modelVersionId === model.modelVersionId)
        .map((e) => e.payload.sliceId),
    );
    const held = run.inputs.filter((i) => i.role !== 'train');
    expect(trace.completeness.missing.sort()).toEqual(
      [
        ...held.filter((i) => i.samplingFraction === undefined).map((i) => `slices[${i.sliceId}].samplingFraction`),
        ...held.filter((i) => !evaluated.has(i.sliceId)).map((i) => `evaluations[${i.sliceId}]`),
      ].sort(),
    );
    const standard = await get<PredictionTrace>(`/v1/predictions/${predictionId}/trace?level=standard`);
    expect(standard.body.completeness).toEqual({ level: 'standard', complete: true, missing: [] });
    expect(trace.slices.map((s) => s.id).sort()).toEqual(run.inputs.map((i) => i.sliceId).sort());
    expect(trace.datasetVersions.map((d) => d.id).sort()).toEqual(
      [...new Set(run.inputs.map((i) => slices.get(i.sliceId)?.datasetVersionId))].sort(),
    );
    // Every link names the event behind it.
    expect(trace.integrity.map((l) => l.link)).toEqual(
      expect.arrayContaining(['prediction', 'deployment', 'modelVersion', 'run', 'pipeline']),
    );
  }, 300_000);

  it('1. traces a prediction made after a deployment revision to the new model version', async () => {
    const revised = revision.payload;
    const after = batches.find(
      (b) => b.payload.deploymentId === revised.deploymentId && b.recordedAt > revision.recordedAt,
    );
    const before = [...batches]
      .reverse()
      .find((b) => b.payload.deploymentId === revised.deploymentId && b.recordedAt < revision.recordedAt);
    if (!after || !before) throw new Error('the scenario has no predictions on both sides of its revision');
    expect(before.payload.modelVersionId).not.toBe(revised.modelVersionId);

    const afterTrace = await eventually<PredictionTrace>(
      `/v1/predictions/${after.payload.predictions[0].predictionId}/trace`,
      (t) => t.deployment?.known === true,
    );
    expect(afterTrace.modelVersion?.id).toBe(revised.modelVersionId);
    expect(afterTrace.deployment).toMatchObject({
      revision: { modelVersionId: revised.modelVersionId },
      servedModelMatches: true,
    });
    const beforeTrace = await eventually<PredictionTrace>(
      `/v1/predictions/${before.payload.predictions[0].predictionId}/trace`,
      (t) => t.deployment?.known === true,
    );
    expect(beforeTrace.modelVersion?.id).toBe(before.payload.modelVersionId);
    expect(beforeTrace.deployment?.revision?.modelVersionId).toBe(before.payload.modelVersionId);
  }, 300_000);

  it('2. compares two model versions: same data snapshot or not, and what differs', async () => {
    const [first, second] = scenario.modelVersionIds;
    const sameRun = scenario.modelVersionIds.find(
      (id) => id !== first && models.get(id)?.runId === models.get(first)?.runId,
    );
    const comparison = await eventually<LineageComparison>(`/v1/compare?left=${first}&right=${second}`, () => true);
    expect(comparison.sameDataSnapshot).toBe(false);
    const firstRun = runs.get(models.get(first)?.runId ?? '');
    const secondRun = runs.get(models.get(second)?.runId ?? '');
    expect(firstRun?.seeds.python).not.toBe(secondRun?.seeds.python);
    expect(comparison.differences).toEqual(
      expect.arrayContaining([
        { path: 'run.seeds.python', left: firstRun?.seeds.python, right: secondRun?.seeds.python },
        { path: 'pipeline.id', left: firstRun?.pipelineId, right: secondRun?.pipelineId },
      ]),
    );
    // Two model versions of one run: the same snapshot, and nothing differs but the artifact they are.
    if (!sameRun) throw new Error('the scenario has no two model versions of one run');
    const same = await eventually<LineageComparison>(`/v1/compare?left=${first}&right=${sameRun}`, () => true);
    expect(same.sameDataSnapshot).toBe(true);
    expect(same.differences.filter((d) => !d.path.startsWith('modelVersion'))).toEqual([]);
  }, 300_000);

  it('3. lists exactly the model versions, deployments and predictions a flagged slice touched', async () => {
    const flagged = scenario.lateFlag.sliceId;
    const trainedRuns = new Set(
      [...runs.values()].filter((r) => r.inputs.some((i) => i.sliceId === flagged)).map((r) => r.runId),
    );
    const touched = [...models.values()].filter((m) => trainedRuns.has(m.runId)).map((m) => m.modelVersionId);
    const counts = new Map<string, number>();
    for (const b of batches) {
      if (touched.includes(b.payload.modelVersionId))
        counts.set(
          b.payload.modelVersionId,
          (counts.get(b.payload.modelVersionId) ?? 0) + b.payload.predictions.length,
        );
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);

    const impact = await eventually<SliceImpact>(
      `/v1/slices/${flagged}/impact`,
      (i) => i.flagged && i.predictions.total === total,
    );
    expect(impact.flagged).toBe(true);
    expect(impact.flags).toMatchObject([{ reason: 'A source was double counted', severity: 'medium' }]);
    expect(impact.modelVersions.map((m) => m.id).sort()).toEqual([...touched].sort());
    expect(impact.predictions.total).toBe(total);
    expect(
      impact.predictions.byModelVersion
        .map(({ id, count }) => [id, count])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ).toEqual([...counts].sort(([a], [b]) => a.localeCompare(b)));
    // The deployments are those that served one of these model versions.
    const servedBy = new Set(
      batches.filter((b) => touched.includes(b.payload.modelVersionId)).map((b) => b.payload.deploymentId),
    );
    expect(impact.deployments.map((d) => d.id).sort()).toEqual([...servedBy].sort());

    // Its prediction ids, page by page, are exactly those predictions.
    const ids: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const query = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: { status: number; body: { predictionIds: string[]; nextCursor: string | null } } = await get(
        `/v1/slices/${flagged}/impact/predictions?${query}`,
      );
      expect(page.status).toBe(200);
      ids.push(...page.body.predictionIds);
      cursor = page.body.nextCursor;
    }
    const expectedIds = batches
      .filter((b) => touched.includes(b.payload.modelVersionId))
      .flatMap((b) => b.payload.predictions.map((p) => p.predictionId));
    expect(ids.sort()).toEqual(expectedIds.sort());
  }, 300_000);

  it('4. says whether a model version lineage is complete enough at each capture level', async () => {
    const modelVersionId = scenario.modelVersionIds[0];
    const standard = await eventually<{ complete: boolean; missing: string[] }>(
      `/v1/models/${modelVersionId}/completeness?level=standard`,
      (c) => c.complete,
    );
    expect(standard).toMatchObject({ complete: true, missing: [] });
    // A model version the scenario never registered has no lineage at all.
    expect((await get(`/v1/models/model:never-registered@1/completeness?level=standard`)).status).toBe(404);
  }, 300_000);

  it('4. says whether a model version may be promoted under the declared policy', async () => {
    const flaggedSlices = new Set([scenario.earlyFlag.sliceId, scenario.lateFlag.sliceId]);
    const onFlagged = (id: string) =>
      runs.get(models.get(id)?.runId ?? '')?.inputs.some((i) => flaggedSlices.has(i.sliceId));
    const tainted = scenario.modelVersionIds.find((id) => onFlagged(id));
    const clean = scenario.modelVersionIds.find((id) => !onFlagged(id));
    if (!tainted || !clean) throw new Error('the scenario needs model versions on both sides of the flags');
    type Evaluation = {
      satisfied: boolean;
      requirements: Array<{ requirement: string; satisfied: boolean; problem?: string }>;
    };
    const owner = runs.get(models.get(clean)?.runId ?? '')?.owner;

    const refused = await eventually<Evaluation>(
      `/v1/models/${tainted}/completeness?policy=production&approver=release-manager`,
      (e) => e.requirements.some((r) => r.requirement === 'slices.unflagged' && !r.satisfied),
    );
    expect(refused.satisfied).toBe(false);
    expect(refused.requirements.filter((r) => !r.satisfied).map((r) => r.requirement)).toEqual(['slices.unflagged']);

    const accepted = await eventually<Evaluation>(
      `/v1/models/${clean}/completeness?policy=production&approver=release-manager`,
      (e) => e.satisfied,
    );
    expect(accepted.requirements.map((r) => r.requirement)).toEqual([
      'level.standard',
      'field.seeds',
      'field.hyperparameters',
      'field.environment',
      'slices.unflagged',
      'separationOfDuties',
    ]);
    // The engineer who trained it may not approve it.
    const byOwner = await get<Evaluation>(`/v1/models/${clean}/completeness?policy=production&approver=${owner}`);
    expect(byOwner.body.satisfied).toBe(false);
    expect(byOwner.body.requirements.filter((r) => !r.satisfied).map((r) => r.requirement)).toEqual([
      'separationOfDuties',
    ]);
  }, 300_000);

  it('5. proves that a prediction record is in the signed audit log, unaltered', async () => {
    const predictionId = batches[5].payload.predictions[3].predictionId;
    const trace = await eventually<PredictionTrace>(`/v1/predictions/${predictionId}/trace`, () => true);
    const link = trace.integrity.find((l) => l.link === 'prediction');
    const published = batches.find((b) => b.eventId === link?.eventId);
    if (!link || !published) throw new Error('the trace does not name the batch event of the prediction');
    type Proof = {
      leafIndex: number;
      treeSize: number;
      leafHash: string;
      proof: string[];
      checkpoint: {
        rootHash: string;
        signature: string;
        keyId: string;
        logId: string;
        treeSize: number;
        signedAt: string;
      };
    };
    const proof = await eventually<Proof>(link.proof, () => true);
    // The leaf is recomputed here from the event as it was published, the path checked against the signed root.
    const leaf = auditLeafHash(published);
    expect(proof.leafHash).toBe(leaf.toString('hex'));
    expect(
      verifyInclusion(
        leaf,
        proof.leafIndex,
        proof.treeSize,
        proof.proof.map((h) => Buffer.from(h, 'hex')),
        Buffer.from(proof.checkpoint.rootHash, 'hex'),
      ),
    ).toBe(true);
    const projectorKey = createPublicKey(await services.signingKeyPem('projector'));
    expect(verifyCheckpoint(proof.checkpoint, projectorKey)).toBe(true);
    expect(verifyCheckpoint({ ...proof.checkpoint, treeSize: proof.checkpoint.treeSize + 1 }, projectorKey)).toBe(
      false,
    );
  }, 300_000);
});
