import { Topics, type EventEnvelope } from '@prov/contracts';
import { KafkaEventLog, NamespacedEventLog } from '@prov/event-log';
import { artifactManifestDigest, dataSliceId, datasetVersionId } from '@prov/integrity';
import type { AlertDocument, ModelLineageDocument } from '@prov/projections';
import { ProvenanceApiError, ProvenanceClient } from '@prov/sdk';
import { integrationEnv, readEvents, uniqueName } from '@prov/testing';
import { RunningServices, productionEnv } from '@prov/platform-testing';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prov } from './prov-command';
import { eventually } from './eventually';

/**
 * Governance end to end, on real Kafka and FerretDB with every service its
 * own process: promotions gated by the team's provenance policy (refused
 * for missing seeds, then accepted once the run completes reporting them;
 * refused when the approver trained the model; refused for a flagged
 * slice), each kind of alert raised once however often it is triggered,
 * counted and posted to a webhook, and `prov check` as a release gate.
 */
const { kafkaBrokers } = integrationEnv();
const hex = (text: string) => createHash('sha256').update(text).digest('hex');
const sha = (text: string) => `sha256:${hex(text)}`;
const POLICY = [
  'apiVersion: provenance/v1',
  'kind: ProvenancePolicy',
  'metadata: { name: churn-production }',
  'spec:',
  '  appliesTo: { models: [churn] }',
  '  captureLevel: standard',
  '  requiredFields: [seeds, runCompleted]',
  '  forbidFlaggedSlices: true',
  '  separationOfDuties: true',
  '',
].join('\n');

describe('governance: promotion gates and alerts on the production services', () => {
  const services = new RunningServices();
  const topicPrefix = `${uniqueName('governance')}.`;
  const policyDir = mkdtempSync(join(tmpdir(), 'governance-policies-'));
  writeFileSync(join(policyDir, 'churn-production.yaml'), POLICY);
  // Scores of private-api are personal data: only their digests may be recorded.
  writeFileSync(
    join(policyDir, 'private-scoring.yaml'),
    'apiVersion: provenance/v1\nkind: ProvenancePolicy\nmetadata: { name: private-scoring }\nspec:\n  appliesTo: { deployments: [private-api] }\n  captureLevel: standard\n  outputs: digest-only\n',
  );
  let log: NamespacedEventLog;
  let webhook: Server;
  const posted: Array<{ id: string; idempotencyKey: string }> = [];
  let steward: ProvenanceClient;
  let engineer: ProvenanceClient;
  let scorer: ProvenanceClient;
  /** Another model engineer than the runs' owner: the approver the policy wants. */
  let approver: ProvenanceClient;

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        posted.push({
          id: (JSON.parse(body) as { id: string }).id,
          idempotencyKey: String(req.headers['idempotency-key']),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => webhook.listen(0, '127.0.0.1', done));
    await services.start(['training-service', 'registry-service', 'inference-service', 'projector', 'query-gateway'], {
      ...productionEnv('governance', topicPrefix),
      PROV_POLICY_DIR: policyDir,
      PROV_ALERT_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/alerts`,
    });
    log = new NamespacedEventLog(
      await KafkaEventLog.connect({ clientId: 'governance-reader', brokers: kafkaBrokers }),
      topicPrefix,
    );
    steward = services.client('data-steward');
    engineer = services.client('model-engineer');
    scorer = services.client('ml-service');
    approver = new ProvenanceClient({
      apiKey: services.allRolesToken,
      registryUrl: services.urls['registry-service'],
      retry: { retries: 0 },
    });
  }, 300_000);

  afterAll(async () => {
    await log?.close();
    await services.stop();
    await new Promise((done) => webhook.close(done));
    rmSync(policyDir, { recursive: true, force: true });
  });

  const gateway = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${services.urls['query-gateway']}${path}`, {
      headers: { authorization: `Bearer ${services.tokens.auditor}` },
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const lineageOf = (modelVersionId: string, holds: (lineage: ModelLineageDocument) => boolean) =>
    eventually(`the lineage of ${modelVersionId}`, async () => {
      const answer = await gateway<ModelLineageDocument>(`/v1/models/${modelVersionId}/lineage`);
      return answer.status === 200 && holds(answer.body) ? answer.body : undefined;
    });
  /**
   * Waits until the gateway links a run to its pipeline, slices and dataset version: a model registered before
   * would raise a passing lineage-gap alert (the projector folds each partition on its own).
   */
  const runLinked = (runId: string) =>
    eventually(`the upstream of ${runId}`, async () => {
      const answer = await gateway<{ nodes: Array<{ id: string; known: boolean }> }>(
        `/v1/lineage/${runId}?direction=upstream&depth=3`,
      );
      const ids = answer.status === 200 ? answer.body.nodes.filter((n) => n.known).map((n) => n.id) : [];
      const needed = [runId, 'pipeline:churn-features@1.0.0', trainSlice, validationSlice, dsv];
      return needed.every((id) => ids.includes(id)) ? true : undefined;
    });
  /** A promotion's answer: the accepted stage change, or the refusal's status and details. */
  const promote = async (client: ProvenanceClient, version: string, stage: 'staging' | 'production') => {
    try {
      return { status: 201, answer: await client.models.changeStage('churn', version, { stage }), details: [] };
    } catch (error) {
      if (!(error instanceof ProvenanceApiError)) throw error;
      return { status: error.status, answer: undefined, details: error.details };
    }
  };
  const registryEvents = async (type: string, modelVersionId: string): Promise<EventEnvelope[]> =>
    (await readEvents(log, Topics.registry)).filter((e) => e.type === type && e.subject === modelVersionId);

  // One team's month: a snapshot, its train and validation slices, a pipeline, runs and model versions.
  const files = [{ path: 'part-0.parquet', sizeBytes: 4096, sha256: '1'.repeat(64) }];
  const dsv = datasetVersionId(files);
  const trainCriteria = { source: 'web', sampling: { fraction: 0.8, seed: 42 } };
  const validationCriteria = { source: 'web', sampling: { fraction: 0.2, seed: 42 } };
  const trainSlice = dataSliceId(dsv, trainCriteria);
  const validationSlice = dataSliceId(dsv, validationCriteria);
  const runWithoutSeeds = 'run:0193a000-0000-7000-8000-000000000001';
  const runWithSeeds = 'run:0193a000-0000-7000-8000-000000000002';
  const modelFiles = (version: string) => [{ path: 'model.bin', sizeBytes: 1024, sha256: hex(version) }];
  const artifactOf = (version: string) => artifactManifestDigest(modelFiles(version));

  const startRun = (runId: string, seeds: Record<string, number>) =>
    engineer.runs.start({
      runId,
      pipeline: 'pipeline:churn-features@1.0.0',
      inputs: [
        { sliceId: trainSlice, role: 'train', samplingFraction: 0.8 },
        { sliceId: validationSlice, role: 'validation', samplingFraction: 0.2 },
      ],
      hyperparameters: { learning_rate: 0.05 },
      seeds,
      codeCommit: '1a2b3c4d',
      environment: { imageDigest: sha('trainer') },
      startedAt: '2026-11-02T08:00:00Z',
    });
  const register = (version: string, runId: string) =>
    engineer.models.registerVersion('churn', {
      version,
      runId,
      artifact: { uri: `s3://models/churn/${version}/`, digest: artifactOf(version), parts: modelFiles(version) },
    });
  const predict = (modelVersionId: string, artifactDigest: string, batch: string) =>
    scorer.predictions.recordBatch({
      deployment: 'churn-api',
      modelVersionId,
      artifactDigest,
      predictions: [1, 2].map((n) => ({
        id: `gov-${batch}-${n}`,
        at: '2026-11-05T10:00:00Z',
        inputDigest: sha(`${batch}-${n}`),
      })),
    });

  it('gates promotions on the policy, and raises each alert once however often it is triggered', async () => {
    const dataset = await steward.datasets.register({ namespace: 'crm', name: 'events', owner: 'crm-team' });
    await steward.datasets.registerVersion(dataset.id, { parts: files, source: 's3://lake/crm/events/2026-11/' });
    await steward.slices.define({ datasetVersionId: dsv, criteria: trainCriteria });
    await steward.slices.define({ datasetVersionId: dsv, criteria: validationCriteria });
    await engineer.pipelines.register({
      name: 'churn-features',
      version: '1.0.0',
      codeDigest: 'git:1a2b3c4d',
      steps: [{ name: 'scale', transform: 'sklearn.preprocessing.StandardScaler' }],
    });

    // 1. A model of a run that recorded no seeds (and has not completed) is refused, with both requirements.
    await startRun(runWithoutSeeds, {});
    await runLinked(runWithoutSeeds);
    await register('1', runWithoutSeeds);
    await lineageOf('model:churn@1', (l) => l.run !== null && l.completeness.standard.complete);
    const refused = await promote(approver, '1', 'production');
    expect(refused.status).toBe(422);
    expect(refused.details.map((d) => d.path)).toEqual(['field.seeds', 'field.runCompleted']);
    expect(refused.details[0].problem).toMatch(/seed.*\(policy churn-production\)/);
    const [rejection] = await eventually('the refusal on Kafka', async () => {
      const found = await registryEvents('model.promotion.rejected', 'model:churn@1');
      return found.length > 0 ? found : undefined;
    });
    expect(rejection.payload).toMatchObject({
      modelVersionId: 'model:churn@1',
      stage: 'production',
      policyDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      failures: [
        { requirement: 'field.seeds', problem: expect.any(String) },
        { requirement: 'field.runCompleted', problem: expect.any(String) },
      ],
    });

    // 2. The run completes and reports the seeds it drew: the same model version is then promotable,
    // though not by the run's owner.
    await engineer.runs.complete(runWithoutSeeds, {
      status: 'succeeded',
      endedAt: '2026-11-02T09:00:00Z',
      seeds: { python: 7, numpy: 7 },
    });
    const completed = await lineageOf('model:churn@1', (l) => l.run?.completion?.status === 'succeeded');
    expect(completed.run?.seeds).toEqual({ python: 7, numpy: 7 });
    expect(completed.completeness.standard.complete).toBe(true);
    const own = await promote(engineer, '1', 'production');
    expect(own.status).toBe(422);
    expect(own.details).toEqual([
      { path: 'separationOfDuties', problem: expect.stringContaining('the approver e2e-model-engineer recorded run') },
    ]);
    const accepted = await promote(approver, '1', 'production');
    expect(accepted.status).toBe(201);
    const digest = (rejection.payload as { policyDigest: string }).policyDigest;
    expect(accepted.answer).toMatchObject({
      id: 'model:churn@1',
      stage: 'production',
      policies: [{ name: 'churn-production', digest }],
    });
    const [promoted] = await registryEvents('model.promoted', 'model:churn@1');
    expect(promoted.payload).toEqual({
      modelVersionId: 'model:churn@1',
      stage: 'production',
      policyDigest: digest,
      approvedBy: 'e2e-operator',
    });
    expect((await registryEvents('model.promotion.rejected', 'model:churn@1')).length).toBe(2);
    const lineage = await lineageOf('model:churn@1', (l) => l.modelVersion.stage === 'production');
    expect(lineage.modelVersion.decisions.map((d) => d.type)).toEqual([
      'model.promotion.rejected',
      'model.promotion.rejected',
      'model.promoted',
    ]);

    // 3. A run started with seeds: refused only while it is still going.
    await startRun(runWithSeeds, { python: 7, numpy: 7 });
    await runLinked(runWithSeeds);
    await register('2', runWithSeeds);
    await lineageOf('model:churn@2', (l) => l.run !== null);
    const running = await promote(approver, '2', 'production');
    expect(running.status).toBe(422);
    expect(running.details.map((d) => d.path)).toEqual(['field.runCompleted']);

    // 4. prov check, the same policy as a release gate: 0 satisfied, 1 not, 2 an invalid policy.
    const cli = {
      PROV_API_KEY: services.allRolesToken,
      PROV_GATEWAY_URL: services.urls['query-gateway'],
      PROV_DATA_DIR: policyDir,
    };
    const policyFile = join(policyDir, 'churn-production.yaml');
    const check = (model: string, policy = policyFile) =>
      prov(['check', '--model', model, '--policy', policy, '--approver', 'e2e-operator'], cli);
    expect((await check('model:churn@1')).code).toBe(0);
    const unsatisfied = await check('model:churn@2');
    expect(unsatisfied.code).toBe(1);
    expect(unsatisfied.stdout).toContain('field.runCompleted');
    const broken = join(tmpdir(), `${uniqueName('broken-policy')}.yaml`);
    writeFileSync(broken, POLICY.replace('captureLevel: standard', 'captureLevel: most'));
    const invalid = await check('model:churn@1', broken);
    rmSync(broken);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('spec.captureLevel');
    await engineer.runs.complete(runWithSeeds, { status: 'succeeded', endedAt: '2026-11-02T09:00:00Z' });
    await lineageOf('model:churn@2', (l) => l.run?.completion?.status === 'succeeded');

    // 5. A flagged training slice blocks the promotion of a model trained on it.
    await register('3', runWithSeeds);
    await steward.slices.flag(trainSlice, { reason: 'labels shifted by a day', severity: 'high' });
    await lineageOf('model:churn@3', (l) => l.flaggedSliceIds.includes(trainSlice));
    const flagged = await promote(approver, '3', 'staging');
    expect(flagged.status).toBe(422);
    expect(flagged.details).toEqual([{ path: 'slices.unflagged', problem: expect.stringContaining(trainSlice) }]);

    // 6. Alerts, each triggered twice: predictions of a model nobody registered, of a registered model with
    // another artifact than its own, of a revoked model version; and the models trained on the flagged slice.
    // Every batch names a deployment nobody created: one alert for it, whatever the number of batches.
    await engineer.models.revoke('churn', '3', { reason: 'trained on a flagged slice' });
    await lineageOf('model:churn@3', (l) => l.modelVersion.revoked);
    for (const round of ['a', 'b']) {
      await predict('model:ghost@1', sha('ghost'), `ghost-${round}`);
      await predict('model:churn@2', sha('tampered'), `tampered-${round}`);
      await predict('model:churn@3', artifactOf('3'), `revoked-${round}`);
    }
    const expected = [
      'model.trained-on-flagged-slice|model:churn@1',
      'model.trained-on-flagged-slice|model:churn@2',
      'model.trained-on-flagged-slice|model:churn@3',
      'prediction.artifact-mismatch|model:churn@2|' + sha('tampered'),
      'prediction.revoked-model-version|model:churn@3',
      'prediction.unknown-deployment|deployment:churn-api',
      'prediction.unknown-model-version|model:ghost@1',
    ];
    const alerts = await eventually('every alert with both rounds counted', async () => {
      const answer = await gateway<{ alerts: AlertDocument[] }>('/v1/alerts');
      const open = answer.body.alerts;
      // The deployment's alert names its first batch and counts none.
      const counted = open
        .filter((a) => a.type.startsWith('prediction.') && a.type !== 'prediction.unknown-deployment')
        .every((a) => a.details['batches'] === 2);
      return open.length === expected.length && counted ? open : undefined;
    });
    expect(alerts.map((a) => a._id).sort()).toEqual(expected);
    expect(alerts.find((a) => a.type === 'prediction.revoked-model-version')?.details).toMatchObject({
      predictions: 4,
      batches: 2,
    });
    expect(alerts.find((a) => a.type === 'prediction.unknown-deployment')).toMatchObject({
      subject: 'deployment:churn-api',
      modelVersionId: 'model:ghost@1',
      details: { created: false, createdAt: null },
    });
    expect(
      (await gateway<{ alerts: AlertDocument[] }>('/v1/alerts?type=prediction.artifact-mismatch')).body.alerts,
    ).toHaveLength(1);

    // Each posted to the webhook once (its id the idempotency key), and counted once in the projector's metrics.
    await eventually('every alert posted', async () => (posted.length >= expected.length ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));
    expect(posted.map((p) => p.id).sort()).toEqual(expected);
    expect(posted.every((p) => p.idempotencyKey === p.id)).toBe(true);
    const metrics = await (await fetch(`${services.urls['projector']}/metrics`)).text();
    const raised = (type: string) =>
      [
        ...metrics.matchAll(
          new RegExp(
            `^projector_alerts_raised_total\\{[^}]*type="${type.replaceAll('.', '\\.')}"[^}]*\\} (\\d+)$`,
            'gm',
          ),
        ),
      ]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
    expect(raised('model.trained-on-flagged-slice')).toBe(3);
    expect(raised('prediction.artifact-mismatch')).toBe(1);
    expect(raised('prediction.revoked-model-version')).toBe(1);
    expect(raised('prediction.unknown-model-version')).toBe(1);
    expect(raised('prediction.unknown-deployment')).toBe(1);
    expect(metrics).toMatch(/^projector_alert_notifications_total\{outcome="delivered"[^}]*\} 7$/m);

    // 7. A deployment whose policy allows only output digests: a raw output is refused, its digest accepted.
    const scoring = (output: Record<string, unknown>) =>
      scorer.predictions.recordBatch({
        deployment: 'private-api',
        modelVersionId: 'model:churn@2',
        artifactDigest: artifactOf('2'),
        predictions: [
          { id: `private-${Object.keys(output)[0]}`, at: '2026-11-05T10:00:00Z', inputDigest: sha('in'), ...output },
        ],
      });
    const rawRefused = await scoring({ output: { score: 0.91 } }).catch((error: ProvenanceApiError) => error);
    expect(rawRefused).toMatchObject({
      status: 422,
      details: [{ path: 'predictions[0].output', problem: expect.stringContaining('private-scoring') }],
    });
    expect(await scoring({ outputDigest: sha('0.91') })).toMatchObject({ accepted: 1 });
  }, 300_000);
});
