import type { CurrentPayloads, ProvenanceEvent } from '@prov/contracts';
import { churnUpstream } from '@prov/testing';
import { examplePolicy } from '../policy/example-policy.test-helper';
import { policyDigest } from '../policy/policy-digest';
import { validatePolicy } from '../policy/policy.parser';
import { REQUIRED_FIELDS, type PolicySpec, type ProvenancePolicy } from '../policy/provenance-policy.document';
import { evaluatePolicy } from './policy-evaluation';
import { projectedLineage } from './projected-lineage.test-helper';

const MODEL = 'model:churn-classifier@3.1.0';

/**
 * The churn model with its whole upstream (libs/testing's churnUpstream), an
 * evaluation of auc 0.89 on its validation slice, and the run's payload
 * changed where a test says. `lineage` projects it, less the parts a test omits.
 */
function churnWorld(runChanges?: Partial<CurrentPayloads['training.run.started']>) {
  const upstream = churnUpstream();
  const { events, ids } = upstream;
  const run = runChanges ? events.runStarted(ids.pipeline, upstream.run.payload.inputs, runChanges) : upstream.run;
  const parts = {
    dataset: upstream.dataset,
    version: upstream.version,
    trainSlice: upstream.trainSlice,
    validationSlice: upstream.validationSlice,
    pipeline: upstream.pipeline,
    run,
    completed: runChanges ? events.runCompleted(run.payload.runId) : upstream.completed,
    model: events.modelRegistered('churn-classifier', '3.1.0', run.payload.runId),
    evaluation: events.evaluation(MODEL, ids.validationSlice, { auc: 0.89 }),
  };
  type Part = keyof typeof parts;
  return {
    events,
    ids: { ...ids, run: run.payload.runId },
    parts,
    lineage: ({ omit = [], more = [] }: { omit?: Part[]; more?: ProvenanceEvent[] } = {}) =>
      projectedLineage(
        MODEL,
        ...(Object.keys(parts) as Part[]).filter((part) => !omit.includes(part)).map((part) => parts[part]),
        ...more,
      ),
  };
}

function policyWith(spec: Partial<PolicySpec>): ProvenancePolicy {
  return validatePolicy(
    {
      apiVersion: 'provenance/v1',
      kind: 'ProvenancePolicy',
      metadata: { name: 'under-test' },
      spec: { captureLevel: 'standard', ...spec },
    },
    'under-test.yaml',
  );
}

/** The outcome of the one requirement of `name`. */
async function requirement(
  name: string,
  policy: ProvenancePolicy,
  lineage: ReturnType<typeof projectedLineage>,
  approver?: string,
) {
  const evaluation = evaluatePolicy(await lineage, policy, { approver });
  const outcomes = evaluation.requirements.filter((outcome) => outcome.requirement === name);
  expect(outcomes).toHaveLength(1);
  expect(evaluation.satisfied).toBe(evaluation.requirements.every((outcome) => outcome.satisfied));
  return outcomes[0];
}

describe('evaluating a provenance policy against a model version lineage', () => {
  it('is satisfied by a complete, evaluated, unflagged model that someone other than the run owner approves', async () => {
    const policy = examplePolicy();
    const evaluation = evaluatePolicy(await churnWorld().lineage(), policy, { approver: 'bob' });
    expect(evaluation).toEqual({
      policy: { name: 'churn-prod', digest: policyDigest(policy) },
      modelVersionId: MODEL,
      satisfied: true,
      requirements: [
        { requirement: 'level.full', satisfied: true },
        { requirement: 'field.seeds', satisfied: true },
        { requirement: 'field.runCompleted', satisfied: true },
        { requirement: 'evaluation.validation.auc', satisfied: true },
        { requirement: 'slices.unflagged', satisfied: true },
        { requirement: 'separationOfDuties', satisfied: true },
      ],
    });
  });

  it('checks only the capture level when the policy asks nothing more', async () => {
    const evaluation = evaluatePolicy(await churnWorld().lineage(), policyWith({}));
    expect(evaluation.requirements).toEqual([{ requirement: 'level.standard', satisfied: true }]);
    expect(evaluation.satisfied).toBe(true);
  });

  it('is not satisfied when any one requirement is not, and says which', async () => {
    const evaluation = evaluatePolicy(await churnWorld().lineage(), examplePolicy(), { approver: 'alice' });
    expect(evaluation.satisfied).toBe(false);
    expect(
      evaluation.requirements.filter((outcome) => !outcome.satisfied).map((outcome) => outcome.requirement),
    ).toEqual(['separationOfDuties']);
  });

  it('does not check requirements a policy turns off', async () => {
    const evaluation = evaluatePolicy(
      await churnWorld().lineage(),
      policyWith({
        forbidFlaggedSlices: false,
        separationOfDuties: false,
        requiredFields: [],
        requiredEvaluations: [],
      }),
    );
    expect(evaluation.requirements.map((outcome) => outcome.requirement)).toEqual(['level.standard']);
  });

  describe('the capture level', () => {
    it('is satisfied at standard and not at full while the validation slice has no evaluation', async () => {
      const world = churnWorld();
      const lineage = world.lineage({ omit: ['evaluation'] });
      expect(await requirement('level.standard', policyWith({ captureLevel: 'standard' }), lineage)).toEqual({
        requirement: 'level.standard',
        satisfied: true,
      });
      expect(await requirement('level.full', policyWith({ captureLevel: 'full' }), lineage)).toEqual({
        requirement: 'level.full',
        satisfied: false,
        problem: `missing evaluations[${world.ids.validationSlice}]`,
      });
    });

    it('lists every missing path', async () => {
      const lineage = churnWorld().lineage({ omit: ['run', 'completed'] });
      expect(await requirement('level.standard', policyWith({}), lineage)).toEqual({
        requirement: 'level.standard',
        satisfied: false,
        problem: 'missing run, pipeline, slices',
      });
    });
  });

  describe('required fields', () => {
    it('are each satisfied by the complete lineage', async () => {
      const evaluation = evaluatePolicy(
        await churnWorld().lineage(),
        policyWith({ requiredFields: [...REQUIRED_FIELDS] }),
      );
      expect(evaluation.requirements.slice(1)).toEqual(
        REQUIRED_FIELDS.map((field) => ({ requirement: `field.${field}`, satisfied: true })),
      );
    });

    it.each<[string, Partial<CurrentPayloads['training.run.started']>, string]>([
      ['seeds', { seeds: {} }, 'the run records no seeds'],
      ['hyperparameters', { hyperparameters: {} }, 'the run records no hyperparameters'],
      [
        'environment',
        { environment: { platform: { gpu: 'A100' } } },
        'the run records neither an image digest nor library versions',
      ],
    ])('%s: not satisfied when the run does not record them', async (field, runChanges, problem) => {
      const lineage = churnWorld(runChanges).lineage();
      expect(await requirement(`field.${field}`, policyWith({ requiredFields: [field as never] }), lineage)).toEqual({
        requirement: `field.${field}`,
        satisfied: false,
        problem,
      });
    });

    it('environment: library versions alone are enough', async () => {
      const lineage = churnWorld({ environment: { libraries: { torch: '2.5.1' } } }).lineage();
      expect(
        await requirement('field.environment', policyWith({ requiredFields: ['environment'] }), lineage),
      ).toMatchObject({
        satisfied: true,
      });
    });

    it('pipeline: not satisfied while the run’s pipeline is not registered', async () => {
      const world = churnWorld();
      const outcome = await requirement(
        'field.pipeline',
        policyWith({ requiredFields: ['pipeline'] }),
        world.lineage({ omit: ['pipeline'] }),
      );
      expect(outcome).toEqual({
        requirement: 'field.pipeline',
        satisfied: false,
        problem: `pipeline ${world.ids.pipeline} is not registered`,
      });
    });

    it('slices: not satisfied while an input slice is not defined', async () => {
      const world = churnWorld();
      const lineage = world.lineage({ omit: ['validationSlice'] });
      expect(await requirement('field.slices', policyWith({ requiredFields: ['slices'] }), lineage)).toEqual({
        requirement: 'field.slices',
        satisfied: false,
        problem: `slice ${world.ids.validationSlice} is not defined`,
      });
    });

    it('datasetVersion: not satisfied while the slices’ dataset version is not registered, or a slice is unknown', async () => {
      const world = churnWorld();
      const policy = policyWith({ requiredFields: ['datasetVersion'] });
      expect(await requirement('field.datasetVersion', policy, world.lineage({ omit: ['version'] }))).toEqual({
        requirement: 'field.datasetVersion',
        satisfied: false,
        problem: `dataset version ${world.ids.version} is not registered`,
      });
      expect(await requirement('field.datasetVersion', policy, world.lineage({ omit: ['trainSlice'] }))).toEqual({
        requirement: 'field.datasetVersion',
        satisfied: false,
        problem: `the dataset version of slice ${world.ids.trainSlice} is unknown (the slice is not defined)`,
      });
    });

    it('samplingFractions: not satisfied when the run does not say how much of a sampled slice it read', async () => {
      const upstream = churnUpstream();
      const inputs = [
        { sliceId: upstream.ids.trainSlice, role: 'train' as const },
        { sliceId: upstream.ids.validationSlice, role: 'validation' as const },
      ];
      const world = churnWorld({ inputs });
      const policy = policyWith({ requiredFields: ['samplingFractions'] });
      // The validation slice is not a sample: the run need not say what fraction of it it read.
      expect(await requirement('field.samplingFractions', policy, world.lineage())).toEqual({
        requirement: 'field.samplingFractions',
        satisfied: false,
        problem: `the run records no sampling fraction of slice ${world.ids.trainSlice} (train), which is a sample`,
      });
      expect(
        await requirement('field.samplingFractions', policy, world.lineage({ omit: ['trainSlice'] })),
      ).toMatchObject({
        problem: `the run records no sampling fraction of slice ${world.ids.trainSlice} (train), whose definition is unknown`,
      });
    });

    it('runCompleted: not satisfied before the run completes, nor when it failed', async () => {
      const world = churnWorld();
      const policy = policyWith({ requiredFields: ['runCompleted'] });
      expect(await requirement('field.runCompleted', policy, world.lineage({ omit: ['completed'] }))).toEqual({
        requirement: 'field.runCompleted',
        satisfied: false,
        problem: 'the run has not completed',
      });
      const failed = world.events.runCompleted(world.ids.run, 'failed');
      expect(
        await requirement('field.runCompleted', policy, world.lineage({ omit: ['completed'], more: [failed] })),
      ).toEqual({
        requirement: 'field.runCompleted',
        satisfied: false,
        problem: `the run ended failed at ${failed.payload.endedAt}`,
      });
    });

    it('are none of them satisfied while the run is unknown', async () => {
      const world = churnWorld();
      const evaluation = evaluatePolicy(
        await world.lineage({ omit: ['run', 'completed'] }),
        policyWith({ requiredFields: ['seeds', 'pipeline', 'samplingFractions'] }),
      );
      expect(evaluation.requirements.slice(1)).toEqual(
        ['seeds', 'pipeline', 'samplingFractions'].map((field) => ({
          requirement: `field.${field}`,
          satisfied: false,
          problem: `training run ${world.ids.run} is not known`,
        })),
      );
    });
  });

  describe('required evaluations', () => {
    const auc = (bounds: { min?: number; max?: number }, slice = 'validation') =>
      policyWith({ requiredEvaluations: [{ slice, metric: 'auc', ...bounds }] });

    it('are satisfied within the bounds, inclusive', async () => {
      const lineage = churnWorld().lineage();
      expect(await requirement('evaluation.validation.auc', auc({ min: 0.89, max: 0.89 }), lineage)).toEqual({
        requirement: 'evaluation.validation.auc',
        satisfied: true,
      });
      expect(await requirement('evaluation.validation.auc', auc({}), lineage)).toMatchObject({ satisfied: true });
    });

    it('are not satisfied below the minimum or above the maximum, with the numbers', async () => {
      const world = churnWorld();
      const lineage = world.lineage();
      const evaluationId = world.parts.evaluation.payload.evaluationId;
      const on = `validation slice ${world.ids.validationSlice} (${evaluationId})`;
      expect(await requirement('evaluation.validation.auc', auc({ min: 0.9 }), lineage)).toEqual({
        requirement: 'evaluation.validation.auc',
        satisfied: false,
        problem: `auc 0.89 on ${on} is below the minimum 0.9`,
      });
      expect(await requirement('evaluation.validation.auc', auc({ max: 0.88 }), lineage)).toEqual({
        requirement: 'evaluation.validation.auc',
        satisfied: false,
        problem: `auc 0.89 on ${on} is above the maximum 0.88`,
      });
    });

    it('are not satisfied without an evaluation on the slice, or without the metric', async () => {
      const world = churnWorld();
      expect(
        await requirement('evaluation.validation.auc', auc({ min: 0.5 }), world.lineage({ omit: ['evaluation'] })),
      ).toEqual({
        requirement: 'evaluation.validation.auc',
        satisfied: false,
        problem: `no evaluation on validation slice ${world.ids.validationSlice}`,
      });
      const accuracyOnly = world.events.evaluation(MODEL, world.ids.validationSlice, { accuracy: 0.93 });
      const lineage = world.lineage({ omit: ['evaluation'], more: [accuracyOnly] });
      expect(await requirement('evaluation.validation.auc', auc({ min: 0.5 }), lineage)).toEqual({
        requirement: 'evaluation.validation.auc',
        satisfied: false,
        problem: `no evaluation on validation slice ${world.ids.validationSlice} records auc`,
      });
    });

    it('are not satisfied when the run has no slice in the role', async () => {
      expect(await requirement('evaluation.test.auc', auc({ min: 0.5 }, 'test'), churnWorld().lineage())).toEqual({
        requirement: 'evaluation.test.auc',
        satisfied: false,
        problem: 'the run has no test slice',
      });
    });

    it('are not satisfied by role while the run is unknown', async () => {
      const world = churnWorld();
      const lineage = world.lineage({ omit: ['run', 'completed'] });
      expect(await requirement('evaluation.validation.auc', auc({ min: 0.5 }), lineage)).toEqual({
        requirement: 'evaluation.validation.auc',
        satisfied: false,
        problem: `training run ${world.ids.run} is not known, nor are its validation slices`,
      });
    });

    it('may name a slice by id, also one the run did not read', async () => {
      const world = churnWorld();
      const holdout = `slice:sha256:${'f'.repeat(64)}`;
      const policy = auc({ min: 0.8 }, holdout);
      const name = `evaluation.${holdout}.auc`;
      expect(await requirement(name, policy, world.lineage())).toEqual({
        requirement: name,
        satisfied: false,
        problem: `no evaluation on slice ${holdout}`,
      });
      const onHoldout = world.events.evaluation(MODEL, holdout, { auc: 0.81 });
      expect(await requirement(name, policy, world.lineage({ more: [onHoldout] }))).toEqual({
        requirement: name,
        satisfied: true,
      });
    });

    it('hold every evaluation of the slice to the bounds: a later one does not hide a failing one', async () => {
      const world = churnWorld();
      const retry = world.events.evaluation(MODEL, world.ids.validationSlice, { auc: 0.95 });
      const outcome = await requirement(
        'evaluation.validation.auc',
        auc({ min: 0.9 }),
        world.lineage({ more: [retry] }),
      );
      expect(outcome).toEqual({
        requirement: 'evaluation.validation.auc',
        satisfied: false,
        problem: `auc 0.89 on validation slice ${world.ids.validationSlice} (${world.parts.evaluation.payload.evaluationId}) is below the minimum 0.9`,
      });
    });

    it('are listed in the order the policy gives them', async () => {
      const policy = policyWith({
        requiredEvaluations: [
          { slice: 'validation', metric: 'auc', min: 0.5 },
          { slice: 'train', metric: 'loss' },
          { slice: 'validation', metric: 'accuracy' },
        ],
      });
      const evaluation = evaluatePolicy(await churnWorld().lineage(), policy);
      expect(evaluation.requirements.map((outcome) => outcome.requirement)).toEqual([
        'level.standard',
        'evaluation.validation.auc',
        'evaluation.train.loss',
        'evaluation.validation.accuracy',
      ]);
    });
  });

  describe('flagged slices', () => {
    it('are refused at any severity when the policy says true', async () => {
      const world = churnWorld();
      const flag = world.events.sliceFlagged(world.ids.trainSlice, 'low');
      const policy = policyWith({ forbidFlaggedSlices: true });
      expect(await requirement('slices.unflagged', policy, world.lineage())).toEqual({
        requirement: 'slices.unflagged',
        satisfied: true,
      });
      expect(await requirement('slices.unflagged', policy, world.lineage({ more: [flag] }))).toEqual({
        requirement: 'slices.unflagged',
        satisfied: false,
        problem: `slice ${world.ids.trainSlice} is flagged low: ${flag.payload.reason}`,
      });
    });

    it('are refused from the threshold up, and let through below it', async () => {
      const world = churnWorld();
      const policy = policyWith({ forbidFlaggedSlices: { minSeverity: 'high' } });
      const medium = world.events.sliceFlagged(world.ids.trainSlice, 'medium');
      expect(await requirement('slices.unflagged', policy, world.lineage({ more: [medium] }))).toEqual({
        requirement: 'slices.unflagged',
        satisfied: true,
      });
      const high = world.events.sliceFlagged(world.ids.validationSlice, 'high');
      const critical = world.events.sliceFlagged(world.ids.trainSlice, 'critical');
      const outcome = await requirement('slices.unflagged', policy, world.lineage({ more: [medium, high, critical] }));
      expect(outcome.satisfied).toBe(false);
      expect(outcome.problem?.split('; ').sort()).toEqual(
        [
          `slice ${world.ids.trainSlice} is flagged critical: ${critical.payload.reason}`,
          `slice ${world.ids.validationSlice} is flagged high: ${high.payload.reason}`,
        ].sort(),
      );
    });
  });

  describe('separation of duties', () => {
    const policy = policyWith({ separationOfDuties: true });

    it('is satisfied by an approver other than the run’s owner', async () => {
      expect(await requirement('separationOfDuties', policy, churnWorld().lineage(), 'bob')).toEqual({
        requirement: 'separationOfDuties',
        satisfied: true,
      });
    });

    it('is not satisfied when the principal that recorded the run approves, whatever owner the run names', async () => {
      const world = churnWorld({ owner: 'bob' });
      // Recorded with mallory's key, naming bob as its owner: mallory may not approve.
      const run = { ...world.parts.run, producer: { ...world.parts.run.producer, principal: 'mallory' } };
      const lineage = world.lineage({ omit: ['run'], more: [run] });
      expect(await requirement('separationOfDuties', policy, lineage, 'mallory')).toEqual({
        requirement: 'separationOfDuties',
        satisfied: false,
        problem: `the approver mallory recorded run ${world.ids.run}`,
      });
      expect(await requirement('separationOfDuties', policy, lineage, 'bob')).toMatchObject({ satisfied: false });
      expect(await requirement('separationOfDuties', policy, lineage, 'carol')).toMatchObject({ satisfied: true });
    });

    it('is not satisfied when the run’s owner approves', async () => {
      const world = churnWorld({ owner: 'carol' });
      expect(await requirement('separationOfDuties', policy, world.lineage(), 'carol')).toEqual({
        requirement: 'separationOfDuties',
        satisfied: false,
        problem: `the approver carol is the owner of run ${world.ids.run}`,
      });
    });

    it('with modelRegistrar, is not satisfied when the principal that registered the model version approves', async () => {
      const world = churnWorld();
      const model = { ...world.parts.model, producer: { ...world.parts.model.producer, principal: 'dave' } };
      const lineage = world.lineage({ omit: ['model'], more: [model] });
      const strict = policyWith({ separationOfDuties: { modelRegistrar: true } });
      expect(await requirement('separationOfDuties', strict, lineage, 'dave')).toEqual({
        requirement: 'separationOfDuties',
        satisfied: false,
        problem: `the approver dave registered model version ${MODEL}`,
      });
      expect(await requirement('separationOfDuties', policy, lineage, 'dave')).toMatchObject({ satisfied: true });
    });

    it('is not satisfied without an approver', async () => {
      expect(await requirement('separationOfDuties', policy, churnWorld().lineage())).toEqual({
        requirement: 'separationOfDuties',
        satisfied: false,
        problem: 'no approver was given',
      });
    });

    it('holds on the recorder when the run names no owner', async () => {
      const upstream = churnUpstream();
      // Runs published at schema v1 name no owner; the key that recorded them is known all the same.
      const run = upstream.events.runStartedV1(upstream.ids.pipeline, upstream.run.payload.inputs, 7);
      const model = upstream.events.modelRegistered('churn-classifier', '3.1.0', run.payload.runId);
      const history = upstream.all.filter((event) => event !== upstream.run && event !== upstream.completed);
      const lineage = projectedLineage(MODEL, ...history, run, model);
      expect(await requirement('separationOfDuties', policy, lineage, 'bob')).toMatchObject({ satisfied: true });
      expect(await requirement('separationOfDuties', policy, lineage, 'alice')).toEqual({
        requirement: 'separationOfDuties',
        satisfied: false,
        problem: `the approver alice recorded run ${run.payload.runId}`,
      });
    });
  });
});
