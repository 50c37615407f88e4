import { generateApiKey } from '@prov/auth';
import { EXAMPLE_PAYLOADS, Topics, validateEnvelope } from '@prov/contracts';
import { artifactManifestDigest, payloadDigest, verifyEnvelope } from '@prov/integrity';
import type { ProducerServiceDependencies } from '@prov/http-service';
import { ProvenancePublisher } from '@prov/publishing';
import { ProducerServiceUnderTest, readEvents, startProducerServiceUnderTest } from '@prov/testing';
import { createRegistryService } from './registry-service';

const engineer = generateApiKey('bob', ['model-engineer']);
const steward = generateApiKey('alice', ['data-steward']);
const RUN = EXAMPLE_PAYLOADS['training.run.started'][2]['runId'] as string;
const files = [{ path: 'model.onnx', sizeBytes: 2048, sha256: '8'.repeat(64) }];
const artifact = { uri: 's3://models/churn/3.1.0/', digest: artifactManifestDigest(files), parts: files };

describe('registry service', () => {
  let service: ProducerServiceUnderTest;
  beforeEach(async () => {
    // No policy applies here: promotions are specified in promotions/promotions.http.spec.ts.
    const promotions = { policies: { all: () => [] }, check: { evaluate: () => Promise.reject(new Error('unused')) } };
    const create = (deps: ProducerServiceDependencies) => createRegistryService(deps, promotions);
    service = await startProducerServiceUnderTest(create, [engineer.record, steward.record], {
      // The run the model versions come from, as the training service would have published it.
      prepare: async (log) => {
        await log.ensureTopics([{ name: Topics.training, partitions: 6 }]);
        await new ProvenancePublisher(log, { service: 'training-service' }).publish(
          { type: 'training.run.started', payload: EXAMPLE_PAYLOADS['training.run.started'][2] as never },
          { id: 'bob', roles: ['model-engineer'] },
        );
      },
    });
  });
  afterEach(() => service.close());

  const post = (url: string, body: unknown, token = engineer.token) => service.post(url, body, token);
  const registryEvents = () => readEvents(service.log, Topics.registry);

  it('records model versions, deployments, revisions and revocations as signed events', async () => {
    const v1 = await post('/v1/models/churn/versions', { version: '3.1.0', runId: RUN, artifact });
    expect(v1.statusCode).toBe(201);
    expect(v1.json().id).toBe('model:churn@3.1.0');
    expect(
      (
        await post('/v1/models/churn/versions', {
          version: '3.2.0',
          runId: RUN,
          artifact: { uri: 's3://m/3.2.0/', digest: `sha256:${'9'.repeat(64)}` },
        })
      ).statusCode,
    ).toBe(201);
    const deployment = await post('/v1/deployments', {
      name: 'churn-api',
      modelVersionId: 'model:churn@3.1.0',
      endpoint: 'https://churn/v1',
      policy: { captureLevel: 'full' },
    });
    expect(deployment.json()).toMatchObject({ id: 'deployment:churn-api', created: true });
    expect(
      (
        await post('/v1/deployments/churn-api/revisions', {
          modelVersionId: 'model:churn@3.2.0',
          effectiveFrom: '2026-11-10T10:00:00Z',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await post('/v1/models/churn/versions/3.1.0/revoke', { reason: 'trained on a flagged slice' })).statusCode,
    ).toBe(201);

    const events = await registryEvents();
    expect(events.map((e) => `${e.type} ${e.subject}`)).toEqual([
      'model.version.registered model:churn@3.1.0',
      'model.version.registered model:churn@3.2.0',
      'deployment.created deployment:churn-api',
      'deployment.revised deployment:churn-api',
      'model.version.revoked model:churn@3.1.0',
    ]);
    for (const event of events) {
      expect(validateEnvelope(event).ok).toBe(true);
      expect(event.integrity.payloadDigest).toBe(payloadDigest(event.payload));
      expect(verifyEnvelope(event, () => service.keys.publicKey, { requireSignature: true })).toEqual({
        ok: true,
        signed: true,
      });
    }
    expect(events[0].payload).toEqual({
      modelVersionId: 'model:churn@3.1.0',
      name: 'churn',
      version: '3.1.0',
      runId: RUN,
      artifact,
    });
  });

  it('refuses an artifact digest that does not match its listed files', async () => {
    const res = await post('/v1/models/churn/versions', {
      version: '3.1.0',
      runId: RUN,
      artifact: { ...artifact, digest: `sha256:${'0'.repeat(64)}` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      { path: 'artifact.digest', problem: expect.stringContaining(artifact.digest) },
    ]);
    expect(await registryEvents()).toEqual([]);
  });

  it('answers 422 naming an unknown run and 404 for an unknown deployment or model version', async () => {
    const unknownRun = await post('/v1/models/churn/versions', {
      version: '1',
      runId: 'run:0190f1a4-8c1e-7b2a-9c3d-000000000000',
      artifact,
    });
    expect(unknownRun.statusCode).toBe(422);
    expect(unknownRun.json().error.details[0].path).toBe('runId');
    expect((await post('/v1/deployments/nothing/revisions', { modelVersionId: 'model:churn@3.1.0' })).statusCode).toBe(
      404,
    );
    expect((await post('/v1/models/churn/versions/9.9.9/revoke', { reason: 'x' })).statusCode).toBe(404);
    expect(await registryEvents()).toEqual([]);
  });

  it('treats a repeated deployment creation as a no-op', async () => {
    await post('/v1/models/churn/versions', { version: '3.1.0', runId: RUN, artifact });
    const body = { name: 'churn-api', modelVersionId: 'model:churn@3.1.0', endpoint: 'https://churn/v1' };
    expect((await post('/v1/deployments', body)).statusCode).toBe(201);
    expect((await post('/v1/deployments', body)).statusCode).toBe(200);
    expect((await post('/v1/deployments', { ...body, endpoint: 'https://other/v1' })).statusCode).toBe(409);
  });

  it('lets only model engineers register and deploy', async () => {
    expect(
      (await post('/v1/models/churn/versions', { version: '3.1.0', runId: RUN, artifact }, steward.token)).statusCode,
    ).toBe(403);
    expect(await registryEvents()).toEqual([]);
  });
});
