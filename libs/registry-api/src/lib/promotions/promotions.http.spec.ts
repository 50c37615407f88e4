import { generateApiKey } from '@prov/auth';
import { EXAMPLE_PAYLOADS, Topics, type ProvenanceEvent } from '@prov/contracts';
import { evaluatePolicy, policyDigest, validatePolicy, type ProvenancePolicy } from '@prov/governance';
import { ServiceUnavailableError } from '@prov/http-service';
import { artifactManifestDigest } from '@prov/integrity';
import { InMemoryViews, projectEvents, type ModelLineageDocument } from '@prov/projections';
import { ProvenancePublisher } from '@prov/publishing';
import { ProducerServiceUnderTest, readEvents, startProducerServiceUnderTest } from '@prov/testing';
import { createRegistryService } from '../registry-service';
import type { PolicyCheck } from './policy-check.port';

const owner = generateApiKey('bob', ['model-engineer']);
const approver = generateApiKey('carol', ['model-engineer']);
const RUN = EXAMPLE_PAYLOADS['training.run.started'][2]['runId'] as string;
const files = [{ path: 'model.onnx', sizeBytes: 2048, sha256: '8'.repeat(64) }];
const artifact = { uri: 's3://models/churn/3.1.0/', digest: artifactManifestDigest(files), parts: files };

const policy = (name: string, spec: Record<string, unknown>): ProvenancePolicy =>
  validatePolicy(
    {
      apiVersion: 'provenance/v1',
      kind: 'ProvenancePolicy',
      metadata: { name },
      spec: { captureLevel: 'standard', ...spec },
    },
    name,
  );

/**
 * The gateway's check, in memory: the policy evaluated against the lineage
 * the projector folds from the service's own log (training and registry topics).
 */
class ProjectedPolicyCheck implements PolicyCheck {
  unavailable = false;
  constructor(private readonly service: () => ProducerServiceUnderTest) {}
  async evaluate(modelVersionId: string, checked: ProvenancePolicy, who: string) {
    if (this.unavailable) throw new ServiceUnavailableError('the query gateway did not answer');
    const views = new InMemoryViews();
    const { log } = this.service();
    const events = [...(await readEvents(log, Topics.training)), ...(await readEvents(log, Topics.registry))];
    await projectEvents(events as ProvenanceEvent[], views);
    const lineage = (await views.get('model_lineage', [modelVersionId])).get(modelVersionId);
    return evaluatePolicy(lineage as ModelLineageDocument, checked, { approver: who });
  }
}

describe('promotions of the registry service', () => {
  let service: ProducerServiceUnderTest;
  let policies: ProvenancePolicy[];
  let check: ProjectedPolicyCheck;
  const training = () => new ProvenancePublisher(service.log, { service: 'training-service' });

  beforeEach(async () => {
    policies = [];
    check = new ProjectedPolicyCheck(() => service);
    service = await startProducerServiceUnderTest(
      (deps) => createRegistryService(deps, { policies: { all: () => policies }, check }),
      [owner.record, approver.record],
      {
        // A run of standard lineage (pipeline, slices, dataset version known), as the training service records it.
        prepare: async (log) => {
          await log.ensureTopics([{ name: Topics.training, partitions: 6 }]);
          const slice = EXAMPLE_PAYLOADS['dataset.slice.defined'][1];
          const run = EXAMPLE_PAYLOADS['training.run.started'][2] as { inputs: Array<{ sliceId: string }> };
          const publisher = new ProvenancePublisher(log, { service: 'training-service' });
          for (const input of [
            { type: 'dataset.version.registered', payload: EXAMPLE_PAYLOADS['dataset.version.registered'][1] },
            ...run.inputs.map(({ sliceId }) => ({ type: 'dataset.slice.defined', payload: { ...slice, sliceId } })),
            { type: 'pipeline.registered', payload: EXAMPLE_PAYLOADS['pipeline.registered'][1] },
            { type: 'training.run.started', payload: { ...run, owner: 'bob' } },
          ] as never[]) {
            await publisher.publish(input, { id: 'bob', roles: ['model-engineer', 'data-steward'] });
          }
        },
      },
    );
    expect(
      (await service.post('/v1/models/churn/versions', { version: '3.1.0', runId: RUN, artifact }, owner.token))
        .statusCode,
    ).toBe(201);
  });
  afterEach(() => service.close());

  const promote = (stage: string, token = approver.token, extra: object = {}) =>
    service.post('/v1/models/churn/versions/3.1.0/stage', { stage, ...extra }, token);
  const decisions = async () =>
    (await readEvents(service.log, Topics.registry))
      .filter((e) => e.type !== 'model.version.registered')
      .map((e) => ({ type: e.type, payload: e.payload }));

  it('refuses a promotion with 422 naming each failing requirement, records the refusal, then accepts once the lineage satisfies the policy', async () => {
    const gate = policy('churn-prod', { requiredFields: ['seeds', 'runCompleted'] });
    policies = [gate];
    const refused = await promote('production');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toEqual([
      { path: 'field.runCompleted', problem: expect.stringMatching(/has not completed.*\(policy churn-prod\)$/) },
    ]);
    expect(await decisions()).toEqual([
      {
        type: 'model.promotion.rejected',
        payload: {
          modelVersionId: 'model:churn@3.1.0',
          stage: 'production',
          policyDigest: policyDigest(gate),
          failures: [{ requirement: 'field.runCompleted', problem: expect.stringContaining('has not completed') }],
        },
      },
    ]);

    await training().publish(
      { type: 'training.run.completed', payload: EXAMPLE_PAYLOADS['training.run.completed'][1] as never },
      { id: 'bob', roles: ['model-engineer'] },
    );
    const accepted = await promote('production');
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({
      id: 'model:churn@3.1.0',
      stage: 'production',
      policies: [{ name: 'churn-prod', digest: policyDigest(gate) }],
    });
    expect((await decisions())[1]).toEqual({
      type: 'model.promoted',
      payload: {
        modelVersionId: 'model:churn@3.1.0',
        stage: 'production',
        policyDigest: policyDigest(gate),
        approvedBy: 'carol',
      },
    });
  });

  it('refuses a promotion approved by the owner of the run that trained the model', async () => {
    policies = [policy('four-eyes', { separationOfDuties: true })];
    const refused = await promote('staging', owner.token);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toEqual([
      { path: 'separationOfDuties', problem: expect.stringContaining('bob') },
    ]);
    expect((await promote('staging', approver.token)).statusCode).toBe(201);
    expect((await decisions()).map((d) => d.type)).toEqual(['model.promotion.rejected', 'model.promoted']);
  });

  it('checks every applicable policy, records one event per policy, and ignores policies for other models', async () => {
    const a = policy('a', {});
    const b = policy('b', { appliesTo: { models: ['churn'] }, requiredFields: ['seeds'] });
    policies = [a, b, policy('other', { appliesTo: { models: ['fraud'] }, requiredFields: ['runCompleted'] })];
    const accepted = await promote('staging');
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().policies.map((p: { name: string }) => p.name)).toEqual(['a', 'b']);
    expect((await decisions()).map((d) => [d.type, (d.payload as { policyDigest: string }).policyDigest])).toEqual([
      ['model.promoted', policyDigest(a)],
      ['model.promoted', policyDigest(b)],
    ]);
  });

  it('changes the stage without a policy when none applies, and archives without any check', async () => {
    policies = [policy('other', { appliesTo: { models: ['fraud'] } })];
    const staged = await promote('staging');
    expect(staged.statusCode).toBe(201);
    expect(staged.json().policies).toEqual([]);
    policies = [policy('strict', { requiredFields: ['runCompleted'] })];
    check.unavailable = true;
    expect((await promote('archived')).statusCode).toBe(201);
    expect(await decisions()).toEqual([
      {
        type: 'model.stage.changed',
        payload: { modelVersionId: 'model:churn@3.1.0', stage: 'staging', approvedBy: 'carol' },
      },
      {
        type: 'model.stage.changed',
        payload: { modelVersionId: 'model:churn@3.1.0', stage: 'archived', approvedBy: 'carol' },
      },
    ]);
  });

  it('answers 503 and publishes nothing when the policy cannot be checked', async () => {
    policies = [policy('churn-prod', {})];
    check.unavailable = true;
    const res = await promote('production');
    expect(res.statusCode).toBe(503);
    expect(await decisions()).toEqual([]);
  });

  it('answers 400 for an approver other than the caller or an unknown stage, 404 for an unknown model version', async () => {
    const other = await promote('production', approver.token, { approvedBy: 'bob' });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.details[0].path).toBe('approvedBy');
    expect((await promote('retired')).json().error.details[0].path).toBe('stage');
    expect(
      (await service.post('/v1/models/churn/versions/9.9.9/stage', { stage: 'staging' }, approver.token)).statusCode,
    ).toBe(404);
    expect(await decisions()).toEqual([]);
  });
});
