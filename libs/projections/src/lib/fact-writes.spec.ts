import { parseEvent, type ProvenanceEvent } from '@prov/contracts';
import { batchFactWrites } from './batch-fact-writes';
import { factWrites } from './fact-writes';
import { recordPredictions } from './record-predictions';
import { InMemoryViews } from './in-memory-views';
import { churnUpstream, digest, LineageEvents } from '@prov/testing';
import { UnsafeEventIdError } from './projection.errors';
import { snapshotOf } from './projection-scenario.test-helper';

async function applied(...events: ProvenanceEvent[]): Promise<InMemoryViews> {
  const views = new InMemoryViews();
  for (const event of events) {
    await views.apply(factWrites(event));
    await recordPredictions([event], views);
  }
  return views;
}

function refOf(event: ProvenanceEvent) {
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    recordedAt: event.recordedAt,
    occurredAt: event.occurredAt,
    payloadDigest: event.integrity.payloadDigest,
    producer: event.producer,
  };
}

describe('fact writes', () => {
  const world = churnUpstream();
  const model = world.registerModel();
  const { events, ids } = world;

  it('builds fixture events that pass the contract validation', () => {
    const fixtures = [
      ...world.all,
      model,
      events.sliceFlagged(ids.trainSlice),
      events.stageChanged(ids.model, 'staging'),
      events.promoted(ids.model),
      events.promotionRejected(ids.model),
      events.revoked(ids.model),
      events.evaluation(ids.model, ids.validationSlice),
      events.deploymentCreated('churn-api', ids.model),
      events.deploymentRevised('deployment:churn-api', ids.model, '2026-12-01T00:00:00Z'),
      events.predictionBatch('deployment:churn-api', ids.model, ['pred:req-1', 'pred:req-2']),
      events.deadLetter(),
      events.auditCheckpoint(),
    ];
    for (const event of fixtures) expect(parseEvent(event)).toMatchObject({ ok: true });
  });

  it('keeps a dataset as a node defined by its registration, with the event that proves it', async () => {
    const views = await applied(world.dataset);
    expect(views.snapshot('nodes')).toEqual([
      { _id: ids.dataset, kind: 'dataset', definition: { ...world.dataset.payload, event: refOf(world.dataset) } },
    ]);
    expect(views.snapshot('edges')).toEqual([]);
  });

  it('keeps a dataset version with its whole manifest on the node and links it to its dataset', async () => {
    const views = await applied(world.version);
    const [node] = views.snapshot('nodes');
    expect(node).toMatchObject({
      _id: ids.version,
      kind: 'dataset-version',
      definition: { parts: world.version.payload.parts },
    });
    expect(views.snapshot('edges')).toEqual([
      { _id: `${ids.version}>version-of>${ids.dataset}`, from: ids.version, rel: 'version-of', to: ids.dataset },
    ]);
  });

  it('links a slice to its dataset version', async () => {
    const views = await applied(world.trainSlice);
    expect(views.snapshot('nodes')[0]).toMatchObject({
      kind: 'slice',
      definition: { criteria: world.trainSlice.payload.criteria },
    });
    expect(views.snapshot('edges').map((edge) => edge._id)).toEqual([`${ids.trainSlice}>slice-of>${ids.version}`]);
  });

  it('keeps each flag of a slice under its event id, so that flags accumulate and never overwrite', async () => {
    const first = events.sliceFlagged(ids.trainSlice, 'medium');
    const second = events.sliceFlagged(ids.trainSlice, 'critical');
    const views = await applied(world.trainSlice, first, second);
    const [node] = views.snapshot('nodes');
    expect(node.flags).toEqual({
      [first.eventId]: { reason: first.payload.reason, severity: 'medium', event: refOf(first) },
      [second.eventId]: { reason: second.payload.reason, severity: 'critical', event: refOf(second) },
    });
    expect(node.definition).toMatchObject({ sliceId: ids.trainSlice });
  });

  it('links a run to its pipeline and to every input slice once per role', async () => {
    const views = await applied(world.run);
    expect(views.snapshot('edges')).toEqual(
      [
        { _id: `${ids.run}>ran>${ids.pipeline}`, from: ids.run, rel: 'ran', to: ids.pipeline },
        {
          _id: `${ids.run}>used>${ids.trainSlice}>train`,
          from: ids.run,
          rel: 'used',
          to: ids.trainSlice,
          attrs: { role: 'train', samplingFraction: 0.5 },
        },
        {
          _id: `${ids.run}>used>${ids.validationSlice}>validation`,
          from: ids.run,
          rel: 'used',
          to: ids.validationSlice,
          attrs: { role: 'validation', samplingFraction: null },
        },
      ].sort((a, b) => (a._id < b._id ? -1 : 1)),
    );
  });

  it('adds a run completion to the run node, whatever arrived first', async () => {
    const views = await applied(world.completed, world.run);
    const [node] = views.snapshot('nodes');
    expect(node).toMatchObject({
      kind: 'run',
      definition: { runId: ids.run, seeds: world.run.payload.seeds },
      completion: {
        status: 'succeeded',
        endedAt: world.completed.payload.endedAt,
        metrics: world.completed.payload.metrics,
        event: refOf(world.completed),
      },
    });
  });

  it('records stage changes, promotions, refusals and revocations as keyed facts of the model version', async () => {
    const staged = events.stageChanged(ids.model, 'staging');
    // Refused when mallory asked: the decision names who tried, by the key that recorded it.
    const refusal = events.promotionRejected(ids.model);
    const rejected = { ...refusal, producer: { ...refusal.producer, principal: 'mallory' } };
    const promoted = events.promoted(ids.model);
    const revoked = events.revoked(ids.model);
    const views = await applied(model, staged, rejected, promoted, revoked);
    const [node] = views.snapshot('nodes');
    expect(node.decisions).toEqual({
      [staged.eventId]: {
        type: 'model.stage.changed',
        stage: 'staging',
        requestedBy: 'alice',
        approvedBy: 'bob',
        policyDigest: null,
        failures: [],
        event: refOf(staged),
      },
      [rejected.eventId]: {
        type: 'model.promotion.rejected',
        stage: 'production',
        requestedBy: 'mallory',
        approvedBy: null,
        policyDigest: rejected.payload.policyDigest,
        failures: rejected.payload.failures,
        event: refOf(rejected),
      },
      [promoted.eventId]: {
        type: 'model.promoted',
        stage: 'production',
        requestedBy: 'alice',
        approvedBy: 'bob',
        policyDigest: promoted.payload.policyDigest,
        failures: [],
        event: refOf(promoted),
      },
    });
    expect(node.revocations).toEqual({ [revoked.eventId]: { reason: revoked.payload.reason, event: refOf(revoked) } });
    expect(views.snapshot('edges').map((edge) => edge._id)).toEqual([`${ids.model}>trained-by>${ids.run}`]);
  });

  it('links an evaluation to the model version it measured and the slice it measured on', async () => {
    const evaluation = events.evaluation(ids.model, ids.validationSlice);
    const views = await applied(evaluation);
    const id = evaluation.payload.evaluationId;
    expect(views.snapshot('edges').map((edge) => edge._id)).toEqual([
      `${id}>evaluated-on>${ids.validationSlice}`,
      `${id}>evaluates>${ids.model}`,
    ]);
  });

  it('makes deployment creation its first revision, effective from the declared time or else from when it was recorded', async () => {
    const created = events.deploymentCreated('churn-api', ids.model);
    const revised = events.deploymentRevised(
      'deployment:churn-api',
      'model:churn-classifier@3.2.0',
      '2026-12-01T00:00:00Z',
    );
    const views = await applied(created, revised);
    const [node] = views.snapshot('nodes');
    expect(node.revisions).toEqual({
      [created.eventId]: { modelVersionId: ids.model, effectiveFrom: created.recordedAt, event: refOf(created) },
      [revised.eventId]: {
        modelVersionId: 'model:churn-classifier@3.2.0',
        effectiveFrom: '2026-12-01T00:00:00Z',
        event: refOf(revised),
      },
    });
    expect(views.snapshot('edges').map((edge) => edge._id)).toEqual([
      'deployment:churn-api>serves>model:churn-classifier@3.1.0',
      'deployment:churn-api>serves>model:churn-classifier@3.2.0',
    ]);
  });

  it('stores each prediction of a batch and the batch totals, keeping only what the record carried', async () => {
    const batch = events.predictionBatch('deployment:churn-api', ids.model, ['pred:req-1', 'pred:req-2', 'pred:req-3']);
    const views = await applied(batch);
    const [first, second] = batch.payload.predictions;
    expect(views.snapshot('prediction_batches')).toEqual([
      {
        _id: batch.eventId,
        batchId: batch.payload.batchId,
        payloadDigest: batch.integrity.payloadDigest,
        recordedAt: batch.recordedAt,
        deploymentId: 'deployment:churn-api',
        modelVersionId: ids.model,
        artifactDigest: digest('9'),
        count: 3,
        firstAt: first.at,
        lastAt: batch.payload.predictions[2].at,
        hours: [{ hour: first.at.slice(0, 13), count: 3 }],
      },
    ]);
    expect(views.snapshot('prediction_batch_ids')).toEqual([
      { _id: batch.eventId, predictionIds: ['pred:req-1', 'pred:req-2', 'pred:req-3'] },
    ]);
    // What the batch shares is kept once, on the batch: a prediction holds its own facts only.
    const common = { eventId: batch.eventId };
    expect(views.snapshot('predictions').slice(0, 2)).toEqual([
      { _id: 'pred:req-1', ...common, at: first.at, inputDigest: first.inputDigest, outputDigest: first.outputDigest },
      {
        _id: 'pred:req-2',
        ...common,
        at: second.at,
        inputDigest: second.inputDigest,
        output: second.output,
        featureSnapshot: second.featureSnapshot,
      },
    ]);
  });

  it('writes nothing for dead letters and audit checkpoints', () => {
    expect(factWrites(events.deadLetter())).toEqual([]);
    expect(factWrites(events.auditCheckpoint())).toEqual([]);
  });

  it('changes nothing when an event is applied again', async () => {
    const all = [
      ...world.all,
      model,
      events.sliceFlagged(ids.trainSlice),
      events.predictionBatch('deployment:a', ids.model, ['pred:x']),
    ];
    const once = await applied(...all);
    const twice = await applied(...all, ...all);
    expect(snapshotOf(twice)).toEqual(snapshotOf(once));
  });

  it('refuses an event id that cannot key a view field', () => {
    const flagged = events.sliceFlagged(ids.trainSlice);
    expect(() => factWrites({ ...flagged, eventId: 'a.b' })).toThrow(UnsafeEventIdError);
  });
});

describe('batch fact writes', () => {
  it('folds writes of one document so that the subject’s last event wins, as one-by-one application would', async () => {
    const events = new LineageEvents();
    const first = events.dataset('crm', 'customer-events', { description: 'first' });
    const second = events.dataset('crm', 'customer-events', { description: 'second' });
    const writes = batchFactWrites([first, second]);
    expect(writes).toHaveLength(1);
    const views = new InMemoryViews();
    // Applied in reverse, as an unordered bulk may: still one outcome.
    await views.apply([...writes].reverse());
    expect(views.snapshot('nodes')[0]).toMatchObject({ definition: { description: 'second' } });
  });

  it('writes one batch document per prediction batch event, its ids once each in the order listed', () => {
    const events = new LineageEvents();
    const batch = events.predictionBatch('deployment:a', 'model:m@1', ['pred:dup', 'pred:b', 'pred:dup']);
    const writes = factWrites(batch);
    expect(writes).toEqual([
      expect.objectContaining({
        op: 'replace',
        view: 'prediction_batches',
        id: batch.eventId,
        doc: expect.objectContaining({ count: 2 }),
      }),
      {
        op: 'replace',
        view: 'prediction_batch_ids',
        id: batch.eventId,
        doc: { _id: batch.eventId, predictionIds: ['pred:dup', 'pred:b'] },
      },
    ]);
  });
});
