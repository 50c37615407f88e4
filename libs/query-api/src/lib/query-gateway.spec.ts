import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyVerifier, generateApiKey } from '@prov/auth';
import { verifyBundle, type AuditBundle } from '@prov/audit';
import {
  MerkleAccumulator,
  auditLeafHash,
  canonicalJson,
  generateSigningKeyPair,
  merkleRoot,
  signCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '@prov/integrity';
import { verifyDsse } from '@prov/interop';
import { AuditNode, AuditRecord, InMemoryLineageStore } from '@prov/lineage-store';
import { projectEvents } from '@prov/projections';
import { churnUpstream, digest } from '@prov/testing';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyCatalog } from '@prov/policy-directory';
import { createQueryGateway } from './query-gateway';

const CHURN_PROD = `apiVersion: provenance/v1
kind: ProvenancePolicy
metadata: { name: churn-prod }
spec:
  captureLevel: standard
  requiredFields: [seeds, hyperparameters]
  requiredEvaluations:
    - { slice: validation, metric: auc, min: 0.8 }
  separationOfDuties: true
`;

const auditor = generateApiKey('audrey', ['auditor']);
const viewer = generateApiKey('victor', ['viewer']);
const MODEL = 'model:churn-classifier@3.1.0';
const OTHER = 'model:churn-classifier@3.2.0';
const DEPLOYMENT = 'deployment:churn-api';

const key = generateSigningKeyPair();

describe('query gateway', () => {
  let app: NestFastifyApplication;
  let store: InMemoryLineageStore;
  const world = churnUpstream();
  const { events } = world;
  const model = world.registerModel();
  const other = events.modelRegistered('churn-classifier', '3.2.0', world.ids.run);
  const deployment = events.deploymentCreated('churn-api', MODEL, '2026-11-01T00:00:00.000Z');
  const batch = events.predictionBatch(DEPLOYMENT, MODEL, ['pred:req-1', 'pred:req-2', 'pred:req-3']);
  const tampered = events.predictionBatch(DEPLOYMENT, MODEL, ['pred:req-4'], digest('e'));

  const policyDir = mkdtempSync(join(tmpdir(), 'gateway-policies-'));
  const attestationKey = generateSigningKeyPair();

  beforeAll(async () => {
    writeFileSync(join(policyDir, 'churn-prod.yaml'), CHURN_PROD);
    store = new InMemoryLineageStore();
    app = await createQueryGateway({
      store,
      apiKeys: new ApiKeyVerifier([auditor.record, viewer.record]),
      policies: PolicyCatalog.fromDirectory(policyDir),
      attestationKey,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(policyDir, { recursive: true, force: true });
  });

  const get = (url: string, token?: string) =>
    app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers 503 until a generation of the views is active', async () => {
    const res = await get(`/v1/predictions/pred:req-1/trace`, auditor.token);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { message: expect.stringContaining('still being built') } });

    const views = await store.generation('live-1');
    await projectEvents([...world.all, model, other, deployment, batch, tampered], views);
    await store.activate('live-1');
    expect((await get('/readyz')).statusCode).toBe(200);
  });

  it('denies every route without credentials', async () => {
    for (const url of [
      '/v1/predictions/pred:req-1/trace',
      `/v1/lineage/${MODEL}`,
      `/v1/slices/${world.ids.trainSlice}/impact`,
      `/v1/slices/${world.ids.trainSlice}/impact/predictions`,
      `/v1/dataset-versions/${world.ids.version}/impact`,
      `/v1/slices/${world.ids.trainSlice}/impact/timeline`,
      `/v1/dataset-versions/${world.ids.version}/impact/timeline`,
      `/v1/deployments/${DEPLOYMENT}`,
      `/v1/compare?left=${MODEL}&right=${OTHER}`,
      '/v1/alerts',
      `/v1/models/${MODEL}/lineage`,
      `/v1/models/${MODEL}/completeness`,
      '/v1/predictions/pred:req-1/trace.prov.json',
      `/v1/models/${MODEL}/lineage.prov.json`,
      `/v1/models/${MODEL}/attestation`,
      '/v1/attestations/keys',
    ]) {
      expect({ url, status: (await get(url)).statusCode }).toEqual({ url, status: 401 });
    }
  });

  it('traces a prediction to its deployment, model version, run, pipeline, slices and dataset version', async () => {
    const res = await get('/v1/predictions/pred:req-1/trace?level=full', auditor.token);
    expect(res.statusCode).toBe(200);
    const trace = res.json();
    expect(trace).toMatchObject({
      prediction: { id: 'pred:req-1' },
      modelVersion: { id: MODEL },
      run: { id: world.ids.run, hyperparameters: expect.any(Object) },
      pipeline: { id: world.ids.pipeline },
    });
    expect(trace.slices.map((s: { id: string }) => s.id).sort()).toEqual(
      [world.ids.trainSlice, world.ids.validationSlice].sort(),
    );
    expect(trace.datasetVersions.map((d: { id: string }) => d.id)).toEqual([world.ids.version]);
    expect(trace.integrity).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventId: model.eventId, payloadDigest: model.integrity.payloadDigest }),
        expect.objectContaining({
          link: 'prediction',
          eventId: batch.eventId,
          payloadDigest: batch.integrity.payloadDigest,
        }),
      ]),
    );

    const standard = (await get('/v1/predictions/pred:req-1/trace', auditor.token)).json();
    expect(standard.run.hyperparameters).toBeUndefined();
  });

  it('exports a trace and a model lineage as PROV-JSON', async () => {
    const trace = await get('/v1/predictions/pred:req-1/trace.prov.json', viewer.token);
    expect(trace.statusCode).toBe(200);
    expect(trace.json()).toMatchObject({
      prefix: { prov: 'http://www.w3.org/ns/prov#' },
      entity: {
        'pred:req-1': expect.any(Object),
        [MODEL]: expect.any(Object),
        [world.ids.version]: expect.any(Object),
      },
      activity: { [world.ids.run]: expect.any(Object), [batch.payload.batchId]: expect.any(Object) },
      agent: { [DEPLOYMENT]: expect.any(Object) },
    });
    const lineage = await get(`/v1/models/${MODEL}/lineage.prov.json`, viewer.token);
    expect(Object.keys(lineage.json().entity)).toContain(world.ids.trainSlice);
    expect((await get('/v1/predictions/pred:nobody/trace.prov.json', viewer.token)).statusCode).toBe(404);
    expect((await get('/v1/models/model:nobody@1/lineage.prov.json', viewer.token)).statusCode).toBe(404);
  });

  it("serves a model version's in-toto attestation, signed with the key it publishes", async () => {
    const res = await get(`/v1/models/${MODEL}/attestation`, viewer.token);
    expect(res.statusCode).toBe(200);
    const envelope = res.json();
    const { keys } = (await get('/v1/attestations/keys', viewer.token)).json();
    expect(keys).toEqual([
      { keyId: attestationKey.keyId, algorithm: 'ed25519', publicKeyPem: attestationKey.publicKeyPem },
    ]);
    const payload = verifyDsse(envelope, createPublicKey(keys[0].publicKeyPem), keys[0].keyId);
    const statement = JSON.parse(String(payload));
    expect(statement).toMatchObject({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: MODEL, digest: { sha256: model.payload.artifact.digest.slice('sha256:'.length) } }],
      predicate: { run: { id: world.ids.run }, pipeline: { id: world.ids.pipeline } },
    });
    expect((await get('/v1/models/model:nobody@1/attestation', viewer.token)).statusCode).toBe(404);
    expect((await get('/v1/models/nobody/attestation', viewer.token)).statusCode).toBe(400);
  });

  it('shows viewers the digest of a sensitive value, and auditors the value', async () => {
    // The example's second prediction carries an output value (sensitive).
    const asViewer = (await get('/v1/predictions/pred:req-2/trace?level=full', viewer.token)).json();
    const asAuditor = (await get('/v1/predictions/pred:req-2/trace?level=full', auditor.token)).json();
    expect(asAuditor.prediction.output).toEqual({ churn: 0.82 });
    expect(asViewer.prediction.output).toEqual({
      redacted: true,
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
  });

  it('reports a prediction whose loaded artifact differs from the registered one', async () => {
    const trace = (await get('/v1/predictions/pred:req-4/trace', auditor.token)).json();
    expect(trace.completeness.missing).toContain('prediction.artifactDigest');
    const alerts = (await get('/v1/alerts?type=prediction.artifact-mismatch', viewer.token)).json();
    expect(alerts.alerts).toEqual([
      expect.objectContaining({ type: 'prediction.artifact-mismatch', modelVersionId: MODEL }),
    ]);
  });

  it('answers 404 for an unknown prediction and 400 with the field path for a malformed id or query', async () => {
    expect((await get('/v1/predictions/pred:nobody/trace', auditor.token)).statusCode).toBe(404);
    const badId = await get('/v1/predictions/not-an-id/trace', auditor.token);
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.details).toEqual([{ path: 'id', problem: expect.stringContaining('pred:') }]);
    const badLevel = await get('/v1/predictions/pred:req-1/trace?level=everything', auditor.token);
    expect(badLevel.json().error.details).toEqual([{ path: 'level', problem: expect.any(String) }]);
    const injected = await get('/v1/predictions/pred:req-1/trace?level[$gt]=', auditor.token);
    expect(injected.statusCode).toBe(400);
    const badDepth = await get(`/v1/lineage/${MODEL}?depth=deep`, auditor.token);
    expect(new Set(badDepth.json().error.details.map((d: { path: string }) => d.path))).toEqual(new Set(['depth']));
  });

  it('walks the lineage graph upstream from a model version to its dataset', async () => {
    const graph = (await get(`/v1/lineage/${MODEL}?direction=upstream&depth=4`, viewer.token)).json();
    const ids = graph.nodes.map((n: { id: string }) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining([MODEL, world.ids.run, world.ids.trainSlice, world.ids.version, world.ids.dataset]),
    );
    expect(graph.edges).toEqual(expect.arrayContaining([{ from: MODEL, to: world.ids.run, rel: 'trained-by' }]));
  });

  it('gives a slice impact: its model versions, deployments and prediction counts, and the prediction ids by page', async () => {
    const impact = (await get(`/v1/slices/${world.ids.trainSlice}/impact`, viewer.token)).json();
    expect(impact.modelVersions.map((m: { id: string }) => m.id).sort()).toEqual([MODEL, OTHER]);
    expect(impact.predictions).toMatchObject({ total: 4, byModelVersion: [{ id: MODEL, count: 4 }] });

    const first = (await get(`/v1/slices/${world.ids.trainSlice}/impact/predictions?limit=3`, viewer.token)).json();
    expect(first.predictionIds).toHaveLength(3);
    const rest = (
      await get(
        `/v1/slices/${world.ids.trainSlice}/impact/predictions?limit=3&cursor=${first.nextCursor}`,
        viewer.token,
      )
    ).json();
    expect([...first.predictionIds, ...rest.predictionIds].sort()).toEqual([
      'pred:req-1',
      'pred:req-2',
      'pred:req-3',
      'pred:req-4',
    ]);
    const dataset = await get(`/v1/dataset-versions/${world.ids.version}/impact`, viewer.token);
    expect(dataset.statusCode).toBe(200);
  });

  it('gives the predictions of a slice and of a dataset version over time, and names a bad bucket', async () => {
    const hourly = await get(`/v1/slices/${world.ids.trainSlice}/impact/timeline?bucket=hour`, viewer.token);
    expect(hourly.statusCode).toBe(200);
    const hour = `${batch.payload.predictions[0].at.slice(0, 13)}:00:00.000Z`;
    expect(hourly.json()).toEqual({
      sliceId: world.ids.trainSlice,
      bucket: 'hour',
      total: 4,
      buckets: [{ start: hour, count: 4 }],
      byModelVersion: [{ id: MODEL, count: 4, buckets: [{ start: hour, count: 4 }] }],
    });
    const daily = (await get(`/v1/dataset-versions/${world.ids.version}/impact/timeline`, viewer.token)).json();
    expect(daily).toMatchObject({ datasetVersionId: world.ids.version, bucket: 'day', total: 4 });
    expect(daily.buckets).toEqual([{ start: `${hour.slice(0, 10)}T00:00:00.000Z`, count: 4 }]);

    const badBucket = await get(`/v1/slices/${world.ids.trainSlice}/impact/timeline?bucket=month`, viewer.token);
    expect(badBucket.statusCode).toBe(400);
    expect(badBucket.json().error.details.map((d: { path: string }) => d.path)).toEqual(['bucket']);
    const badId = await get('/v1/slices/slice:nope/impact/timeline', viewer.token);
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.details.map((d: { path: string }) => d.path)).toEqual(['id']);
    const unknown = `slice:sha256:${'f'.repeat(64)}`;
    expect((await get(`/v1/slices/${unknown}/impact/timeline`, viewer.token)).statusCode).toBe(404);
    const unknownVersion = `dsv:sha256:${'f'.repeat(64)}`;
    expect((await get(`/v1/dataset-versions/${unknownVersion}/impact/timeline`, viewer.token)).statusCode).toBe(404);

    const openapi = (await get('/docs/openapi.json')).json();
    const route = openapi.paths['/v1/slices/{id}/impact/timeline'].get;
    expect(route.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'bucket',
          in: 'query',
          schema: expect.objectContaining({ enum: ['hour', 'day', 'week'] }),
        }),
      ]),
    );
    expect(openapi.paths['/v1/dataset-versions/{id}/impact/timeline']).toBeDefined();
    // Paged routes declare the paging parameters they share, and their own filters.
    const queryOf = (path: string) =>
      (openapi.paths[path].get.parameters as Array<{ name: string; in: string }>)
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort();
    expect(queryOf('/v1/dead-letters')).toEqual(['cursor', 'limit', 'reason', 'topic']);
    expect(queryOf('/v1/slices/{id}/impact/predictions')).toEqual(['cursor', 'limit']);
  });

  it('tells which model version a deployment serves now, 404 for one never recorded', async () => {
    const serving = await get(`/v1/deployments/${DEPLOYMENT}`, viewer.token);
    expect(serving.statusCode).toBe(200);
    expect(serving.json()).toMatchObject({
      deploymentId: DEPLOYMENT,
      known: true,
      modelVersionId: MODEL,
      windows: [{ modelVersionId: MODEL, from: '2026-11-01T00:00:00.000Z', to: null }],
    });
    expect((await get('/v1/deployments/deployment:nobody', viewer.token)).statusCode).toBe(404);
    const malformed = await get('/v1/deployments/model:churn@1', viewer.token);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details.map((d: { path: string }) => d.path)).toEqual(['id']);
  });

  it('compares two model versions of one run, and a deployment with a model version', async () => {
    const same = (await get(`/v1/compare?left=${MODEL}&right=${OTHER}`, viewer.token)).json();
    expect(same).toEqual({ sameDataSnapshot: true, differences: [] });
    const deployed = (await get(`/v1/compare?left=${DEPLOYMENT}&right=${OTHER}`, viewer.token)).json();
    expect(deployed.sameDataSnapshot).toBe(true);
    const unknown = await get(`/v1/compare?left=${MODEL}&right=model:nobody@1.0.0`, viewer.token);
    expect(unknown.statusCode).toBe(404);
    const missing = await get(`/v1/compare?left=${MODEL}`, viewer.token);
    expect(new Set(missing.json().error.details.map((d: { path: string }) => d.path))).toEqual(new Set(['right']));
  });

  it('gives a model version lineage, redacted for viewers, and its completeness at a capture level', async () => {
    const asAuditor = (await get(`/v1/models/${MODEL}/lineage`, auditor.token)).json();
    const asViewer = (await get(`/v1/models/${MODEL}/lineage`, viewer.token)).json();
    expect(asAuditor).toMatchObject({ _id: MODEL, runId: world.ids.run });
    expect(asAuditor.datasets[0].owner).toEqual(world.dataset.payload.owner);
    expect(asViewer.datasets[0].owner).toMatchObject({ redacted: true });
    expect((await get(`/v1/models/${MODEL}/completeness?level=standard`, viewer.token)).json()).toEqual({
      modelVersionId: MODEL,
      level: 'standard',
      complete: true,
      missing: [],
    });
    expect((await get(`/v1/models/model:nobody@1.0.0/lineage`, viewer.token)).statusCode).toBe(404);
    expect((await get(`/v1/models/${MODEL}/completeness?level=partial`, viewer.token)).statusCode).toBe(400);
  });

  it('checks a model version against a policy of the policy directory, requirement by requirement', async () => {
    const byBob = (await get(`/v1/models/${MODEL}/completeness?policy=churn-prod&approver=bob`, viewer.token)).json();
    expect(byBob).toMatchObject({ policy: { name: 'churn-prod', digest: expect.stringMatching(/^sha256:/) } });
    expect(
      byBob.requirements.map((r: { requirement: string; satisfied: boolean }) => [r.requirement, r.satisfied]),
    ).toEqual([
      ['level.standard', true],
      ['field.seeds', true],
      ['field.hyperparameters', true],
      // The fixture's model version was never evaluated.
      ['evaluation.validation.auc', false],
      ['separationOfDuties', true],
    ]);
    expect(byBob.satisfied).toBe(false);
    // The run's owner may not approve the model it trained.
    const run = world.run.payload as { owner?: string };
    const byOwner = (
      await get(`/v1/models/${MODEL}/completeness?policy=churn-prod&approver=${run.owner}`, viewer.token)
    ).json();
    expect(byOwner.requirements.at(-1)).toMatchObject({ requirement: 'separationOfDuties', satisfied: false });

    // A policy added to the directory later is found without a restart.
    writeFileSync(
      join(policyDir, 'lenient.json'),
      JSON.stringify({
        apiVersion: 'provenance/v1',
        kind: 'ProvenancePolicy',
        metadata: { name: 'lenient' },
        spec: { captureLevel: 'standard' },
      }),
    );
    expect((await get(`/v1/models/${MODEL}/completeness?policy=lenient`, viewer.token)).json()).toMatchObject({
      satisfied: true,
      requirements: [{ requirement: 'level.standard', satisfied: true }],
    });
    const unknown = await get(`/v1/models/${MODEL}/completeness?policy=nobody`, viewer.token);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toContain('churn-prod');
    const both = await get(`/v1/models/${MODEL}/completeness?policy=churn-prod&level=full`, viewer.token);
    expect(both.statusCode).toBe(400);
    expect(both.json().error.details).toEqual([expect.objectContaining({ path: 'level' })]);
    expect((await get(`/v1/models/model:nobody@1.0.0/completeness?policy=churn-prod`, viewer.token)).statusCode).toBe(
      404,
    );
  });

  it('checks a model version against a policy given in the request, and names each invalid field of it', async () => {
    const post = (body: unknown) =>
      app.inject({
        method: 'POST',
        url: `/v1/models/${MODEL}/completeness`,
        headers: { authorization: `Bearer ${viewer.token}` },
        payload: body as object,
      });
    const full = {
      apiVersion: 'provenance/v1',
      kind: 'ProvenancePolicy',
      metadata: { name: 'ci' },
      spec: { captureLevel: 'full' },
    };
    const answer = await post({ policy: full });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ modelVersionId: MODEL, policy: { name: 'ci' } });
    expect(answer.json().requirements[0].requirement).toBe('level.full');

    const invalid = await post({ policy: { ...full, spec: { captureLevel: 'complete', extra: 1 } } });
    expect(invalid.statusCode).toBe(400);
    const paths = invalid.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['policy.spec.captureLevel', 'policy.spec.extra']));
    expect((await post({})).statusCode).toBe(400);
  });

  it('serves signed checkpoints, inclusion proofs and consistency proofs of the audit log, to auditors', async () => {
    const logId = 'auditlog:provenance.training.v1.p0';
    const logged = [...world.all, model, other, deployment, batch, tampered];
    const tree = new MerkleAccumulator();
    const leaves: AuditRecord[] = [];
    const nodes: AuditNode[] = [];
    const hashes = logged.map((event) => auditLeafHash(event));
    for (const [index, event] of logged.entries()) {
      for (const s of tree.append(hashes[index]))
        nodes.push({ logId, level: s.level, index: s.index, hash: s.hash.toString('hex') });
      leaves.push({
        logId,
        index,
        eventId: event.eventId,
        offset: String(index),
        leafHash: hashes[index].toString('hex'),
        envelope: canonicalJson(event),
      });
    }
    const frontier = tree.frontierHashes().map((h) => h && h.toString('hex'));
    await store.auditLog.append(leaves, nodes, {
      logId,
      topic: 'provenance.training.v1',
      partition: 0,
      treeSize: tree.size,
      frontier,
      nextOffset: String(tree.size),
    });
    await store.auditLog.saveKeys([{ keyId: key.keyId, service: 'projector', publicKey: key.publicKeyPem }]);
    const sign = (treeSize: number) =>
      signCheckpoint(
        {
          logId,
          treeSize,
          rootHash: merkleRoot(hashes, treeSize).toString('hex'),
          signedAt: '2026-12-01T10:00:00.000Z',
        },
        key.privateKey,
        key.keyId,
      );
    await store.auditLog.saveCheckpoint(sign(3));
    await store.auditLog.saveCheckpoint(sign(hashes.length));

    expect((await get('/v1/audit/checkpoints/latest', viewer.token)).statusCode).toBe(403);
    expect((await get('/v1/audit/checkpoints/latest', auditor.token)).json()).toEqual({
      checkpoints: [sign(hashes.length)],
    });

    const proof = (await get(`/v1/audit/events/${logged[1].eventId}/proof`, auditor.token)).json();
    expect(proof).toMatchObject({ logId, leafIndex: 1, treeSize: hashes.length, leafHash: hashes[1].toString('hex') });
    const root = Buffer.from(proof.checkpoint.rootHash, 'hex');
    const path = proof.proof.map((h: string) => Buffer.from(h, 'hex'));
    expect(verifyInclusion(hashes[1], 1, hashes.length, path, root)).toBe(true);
    expect(verifyInclusion(hashes[2], 1, hashes.length, path, root)).toBe(false);
    const early = (await get(`/v1/audit/events/${logged[2].eventId}/proof?treeSize=3`, auditor.token)).json();
    expect(
      verifyInclusion(
        hashes[2],
        2,
        3,
        early.proof.map((h: string) => Buffer.from(h, 'hex')),
        Buffer.from(sign(3).rootHash, 'hex'),
      ),
    ).toBe(true);
    // An event the early checkpoint does not cover yet, a checkpoint that was never signed, an unknown and a malformed id.
    expect((await get(`/v1/audit/events/${logged[5].eventId}/proof?treeSize=3`, auditor.token)).statusCode).toBe(409);
    expect((await get(`/v1/audit/events/${logged[1].eventId}/proof?treeSize=4`, auditor.token)).statusCode).toBe(404);
    expect((await get('/v1/audit/events/0190f1a4-0000-7000-8000-000000000000/proof', auditor.token)).statusCode).toBe(
      404,
    );
    expect((await get('/v1/audit/events/..%2F..%2Fetc/proof', auditor.token)).statusCode).toBe(400);

    const consistency = (
      await get(`/v1/audit/consistency?log=${logId}&from=3&to=${hashes.length}`, auditor.token)
    ).json();
    expect(
      verifyConsistency(
        3,
        hashes.length,
        Buffer.from(sign(3).rootHash, 'hex'),
        root,
        consistency.proof.map((h: string) => Buffer.from(h, 'hex')),
      ),
    ).toBe(true);
    expect((await get(`/v1/audit/consistency?log=${logId}&from=4&to=${hashes.length}`, auditor.token)).statusCode).toBe(
      404,
    );
    const backwards = await get(`/v1/audit/consistency?log=${logId}&from=${hashes.length}&to=3`, auditor.token);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.details).toEqual([expect.objectContaining({ path: 'from' })]);
  });

  it('serves each logged event as published, a log page by page, the keys, and bundles that verify offline', async () => {
    const logId = 'auditlog:provenance.training.v1.p0';
    const logged = [...world.all, model, other, deployment, batch, tampered];
    expect((await get('/v1/audit/logs', auditor.token)).json()).toEqual({
      logs: [{ logId, topic: 'provenance.training.v1', partition: 0, treeSize: logged.length }],
    });
    expect((await get('/v1/audit/keys', auditor.token)).json()).toEqual({
      keys: [{ keyId: key.keyId, service: 'projector', publicKey: key.publicKeyPem }],
    });
    const event = (await get(`/v1/audit/events/${batch.eventId}`, auditor.token)).json();
    expect(event).toEqual({
      eventId: batch.eventId,
      logId,
      index: logged.indexOf(batch),
      offset: String(logged.indexOf(batch)),
      leafHash: auditLeafHash(batch).toString('hex'),
      event: JSON.parse(JSON.stringify(batch)),
    });
    const first = (await get(`/v1/audit/logs/${logId}/events?limit=4`, auditor.token)).json();
    const rest = (await get(`/v1/audit/logs/${logId}/events?from=${first.next}`, auditor.token)).json();
    expect(first.next).toBe(4);
    expect(rest.next).toBeNull();
    expect([...first.events, ...rest.events].map((e: { event: { eventId: string } }) => e.event.eventId)).toEqual(
      logged.map((e) => e.eventId),
    );
    expect((await get(`/v1/audit/logs/${logId}/events?limit=5000`, auditor.token)).statusCode).toBe(400);
    expect((await get('/v1/audit/logs/not-a-log/events', auditor.token)).statusCode).toBe(400);

    const bundle = (await get('/v1/audit/predictions/pred:req-1/bundle', auditor.token)).json() as AuditBundle;
    expect(bundle).toMatchObject({ predictionId: 'pred:req-1', level: 'full', redacted: false });
    expect(bundle.events.map((e) => e.eventId)).toEqual(expect.arrayContaining([batch.eventId, deployment.eventId]));
    expect(bundle.events.map((e) => e.eventId)).not.toContain(tampered.eventId);
    expect(await verifyBundle(bundle, { requireSignatures: false })).toMatchObject({ ok: true });
    const redacted = (await get('/v1/audit/predictions/pred:req-1/bundle?redact=true', auditor.token)).json();
    expect(redacted.redacted).toBe(true);
    expect(await verifyBundle(redacted, { requireSignatures: false })).toMatchObject({ ok: true });
    expect((await get('/v1/audit/predictions/pred:nope/bundle', auditor.token)).statusCode).toBe(404);
    expect((await get('/v1/audit/predictions/pred:req-1/bundle', viewer.token)).statusCode).toBe(403);
  });

  it('lists the dead letters to auditors, newest first, a page at a time, filtered by reason and topic', async () => {
    const letter = (offset: number, reason: 'unparseable' | 'bad-signature', recordedAt: string) => ({
      deadLetterId: `deadletter:provenance.inference.v1/0/${offset}`,
      reason,
      problems: [{ path: '', problem: 'refused' }],
      source: { topic: 'provenance.inference.v1', partition: 0, offset: String(offset) },
      rejectedBy: 'projector',
      recordedAt,
      messageHeadBase64: Buffer.from('poison').toString('base64'),
      messageTruncated: false,
    });
    const letters = [
      letter(1, 'unparseable', '2026-12-01T10:00:00.000Z'),
      letter(2, 'bad-signature', '2026-12-01T10:00:01.000Z'),
      letter(3, 'unparseable', '2026-12-01T10:00:02.000Z'),
    ];
    await store.deadLetters.keep(letters, { topic: 'provenance.deadletter.v1', partition: 0, offset: '3' });
    const first = await get('/v1/dead-letters?limit=2', auditor.token);
    expect(first.statusCode).toBe(200);
    expect(first.json().deadLetters).toEqual([letters[2], letters[1]]);
    const rest = (await get(`/v1/dead-letters?limit=2&cursor=${first.json().nextCursor}`, auditor.token)).json();
    expect(rest).toEqual({ deadLetters: [letters[0]], nextCursor: null });
    expect((await get('/v1/dead-letters?reason=bad-signature', auditor.token)).json().deadLetters).toEqual([
      letters[1],
    ]);
    expect((await get('/v1/dead-letters?topic=provenance.training.v1', auditor.token)).json().deadLetters).toEqual([]);
    expect((await get('/v1/dead-letters?reason=lost', auditor.token)).statusCode).toBe(400);
    expect((await get('/v1/dead-letters?cursor=not-a-cursor', auditor.token)).statusCode).toBe(400);
    expect((await get('/v1/dead-letters', viewer.token)).statusCode).toBe(403);
  });
});
