import type { EventOf } from '@prov/contracts';
import { digest, LineageEvents } from '@prov/testing';
import fc from 'fast-check';
import { InMemoryViews } from './in-memory-views';
import { CONFLICTING_PREDICTION } from './prediction-conflicts';
import { projectEvents } from './project-events';
import { given, snapshotOf } from './projection-scenario.test-helper';
import { readClaims, readRecordedPredictions } from './recorded-predictions.reader';
import { servedTotals } from './served-predictions';

type Batch = EventOf<'prediction.batch.recorded'>;

/** A batch whose predictions carry the given content: the same id and content is a re-send, other content a conflict. */
function batchOf(
  events: LineageEvents,
  deployment: string,
  model: string,
  predictions: Array<{ id: string; input?: string; output?: string; at?: string }>,
  artifact = digest('9'),
): Batch {
  return events.event('prediction.batch.recorded', {
    batchId: `batch:${events.uuid()}`,
    deploymentId: deployment,
    modelVersionId: model,
    artifactDigest: artifact,
    predictions: predictions.map(({ id, input = '1', output = '2', at = '2026-11-05T10:00:00.000Z' }) => ({
      predictionId: id,
      at,
      inputDigest: digest(input),
      outputDigest: digest(output),
    })),
  }) as Batch;
}

const MODEL = 'model:churn@1';
const OTHER_MODEL = 'model:churn@2';

async function totalOf(views: InMemoryViews, models = [MODEL, OTHER_MODEL]): Promise<number> {
  const totals = await servedTotals(views, { modelVersionId: { in: models } }, 'modelVersionId');
  return totals.reduce((sum, total) => sum + total.predictions, 0);
}

describe('predictions', () => {
  const events = new LineageEvents();
  const first = batchOf(events, 'deployment:api', MODEL, [{ id: 'pred:dup' }, { id: 'pred:a' }]);
  const resent = batchOf(events, 'deployment:api', MODEL, [{ id: 'pred:dup' }]);

  it.each([
    ['in publish order', [first, resent]],
    ['when the later batch arrives first', [resent, first]],
  ])('counts a prediction id sent in two batches once, for the earlier event, %s', async (_order, [a, b]) => {
    const then = await given(a).when(b);
    const recorded = await readRecordedPredictions(then.store, ['pred:dup']);
    expect(recorded.get('pred:dup')).toMatchObject({
      batchId: first.payload.batchId,
      eventId: first.eventId,
      deploymentId: 'deployment:api',
    });
    expect(then.ids('prediction_batches')).toEqual([first.eventId, resent.eventId].sort());
    expect(then.ids('prediction_batch_ids')).toEqual([first.eventId, resent.eventId].sort());
    expect(then.ids('prediction_losses')).toEqual([`${resent.eventId}|pred:dup`]);
    expect(await totalOf(then.store)).toBe(2);
    // The same content sent again is no conflict.
    expect(then.ids('alerts').filter((id) => id.startsWith(CONFLICTING_PREDICTION))).toEqual([]);
  });

  it('keeps each claim of a contested id in a document of its own, which no other writer changes', async () => {
    const then = await given(first).when(resent);
    // With the id's claim token, the same empty document whoever contested it first.
    expect(then.ids('prediction_claims')).toEqual(
      ['pred:dup', `pred:dup|${first.eventId}`, `pred:dup|${resent.eventId}`].sort(),
    );
    expect(then.doc('prediction_claims', 'pred:dup')).toEqual({ _id: 'pred:dup' });
    const claims = await readClaims(then.store, ['pred:dup']);
    expect(claims.get('pred:dup')?.map((claim) => claim.eventId)).toEqual([first.eventId, resent.eventId].sort());
  });

  it('reads the claims of a generation that kept them in one document per id, with claims written since', async () => {
    const contradicting = batchOf(events, 'deployment:other', OTHER_MODEL, [{ id: 'pred:dup', output: '7' }]);
    const then = await given(first, resent).when(contradicting);
    const claims = await readClaims(then.store, ['pred:dup']);
    expect(claims.get('pred:dup')).toHaveLength(3);
    // The two earlier claims as such a generation kept them; the third one as written since.
    const kept = new InMemoryViews();
    const [earlier, later] = [claims.get('pred:dup')?.slice(0, 2) ?? [], claims.get('pred:dup')?.[2]];
    const held = Object.fromEntries(
      earlier.map(({ _id, predictionId: _predictionId, eventId, ...facts }) => [eventId, facts]),
    );
    await kept.apply([
      { op: 'replace', view: 'prediction_claims', id: 'pred:dup', doc: { _id: 'pred:dup', claims: held } },
      ...(later ? [{ op: 'replace' as const, view: 'prediction_claims' as const, id: later._id, doc: later }] : []),
      // Written by both: one claim is read once.
      { op: 'replace', view: 'prediction_claims', id: earlier[0]._id, doc: earlier[0] },
      { op: 'replace', view: 'predictions', id: 'pred:dup', doc: { _id: 'pred:dup', contested: true } },
    ]);
    expect(await readClaims(kept, ['pred:dup'])).toEqual(claims);
  });

  it('raises one conflicting-prediction alert naming the fields a contradicting record differs in', async () => {
    const contradicting = batchOf(events, 'deployment:other', OTHER_MODEL, [{ id: 'pred:dup', output: '7' }]);
    const then = await given(first, resent).when(contradicting);
    expect(then.doc('alerts', `${CONFLICTING_PREDICTION}|pred:dup`)).toMatchObject({
      type: CONFLICTING_PREDICTION,
      subject: 'pred:dup',
      modelVersionId: MODEL,
      details: {
        predictionId: 'pred:dup',
        recordedBy: { eventId: first.eventId, batchId: first.payload.batchId },
        fields: ['deploymentId', 'modelVersionId', 'outputDigest'],
        records: 3,
        conflicting: [expect.objectContaining({ eventId: contradicting.eventId, modelVersionId: OTHER_MODEL })],
      },
      firstRecordedAt: contradicting.recordedAt,
    });
    // The record that stands is the first one: the other model version counts nothing of it.
    expect(await servedTotals(then.store, { modelVersionId: OTHER_MODEL }, 'modelVersionId')).toEqual([]);
    expect(await totalOf(then.store)).toBe(2);
  });

  it('counts an id listed twice in one batch once', async () => {
    const twice = batchOf(events, 'deployment:api', MODEL, [{ id: 'pred:t' }, { id: 'pred:t', output: '5' }]);
    const then = await given().when(twice);
    expect(then.doc('prediction_batches', twice.eventId)).toMatchObject({ count: 1 });
    expect(then.doc('prediction_batch_ids', twice.eventId)).toEqual({ _id: twice.eventId, predictionIds: ['pred:t'] });
    expect(await totalOf(then.store)).toBe(1);
  });

  it('touches no model lineage for a batch, only alerts', async () => {
    const then = await given().when(first);
    expect(then.ids('model_lineage')).toEqual([]);
    expect(then.ids('slice_impact')).toEqual([]);
    expect(then.ids('alerts')).toEqual([
      `prediction.unknown-deployment|deployment:api`,
      `prediction.unknown-model-version|${MODEL}`,
    ]);
  });

  it('counts the unknown-model-version alert’s predictions once each', async () => {
    const then = await given(first, resent, resent).when(resent);
    expect(then.doc('alerts', `prediction.unknown-model-version|${MODEL}`)).toMatchObject({
      details: { predictions: 2, batches: 1 },
      firstRecordedAt: first.recordedAt,
    });
  });

  it('keeps each batch’s predictions by hour, the same document when the batch is delivered again', async () => {
    const spread = batchOf(events, 'deployment:api', MODEL, [
      { id: 'pred:h1', at: '2026-11-05T10:15:00.000Z' },
      { id: 'pred:h2', at: '2026-11-05T12:00:00.000Z' },
      { id: 'pred:h3', at: '2026-11-05T10:45:00.000Z' },
    ]);
    const once = await given().when(spread);
    const twice = await given(spread).when(spread);
    const hours = [
      { hour: '2026-11-05T10', count: 2 },
      { hour: '2026-11-05T12', count: 1 },
    ];
    expect(once.doc('prediction_batches', spread.eventId)).toMatchObject({ count: 3, hours });
    expect(twice.snapshot()).toEqual(once.snapshot());
  });
});

/**
 * Random traffic of re-sends and contradictions: ids drawn from a small
 * pool, so that many are sent by several batches, through two deployments
 * and two model versions, with content that sometimes differs.
 */
const traffic = fc.array(
  fc.record({
    deployment: fc.constantFrom('deployment:a', 'deployment:b'),
    model: fc.constantFrom(MODEL, OTHER_MODEL),
    predictions: fc.uniqueArray(
      fc.record({ id: fc.integer({ min: 0, max: 11 }), output: fc.constantFrom('2', '2', '2', '5') }),
      { minLength: 1, maxLength: 6, selector: (p) => p.id },
    ),
  }),
  { minLength: 1, maxLength: 12 },
);

describe('exact prediction counts', () => {
  it('counts each prediction id once, and raises one alert per contradicted id, whatever the order, batching and redeliveries', async () => {
    await fc.assert(
      fc.asyncProperty(traffic, fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), async (plan, choices) => {
        const events = new LineageEvents();
        const batches = plan.map(({ deployment, model, predictions }) =>
          batchOf(
            events,
            deployment,
            model,
            predictions.map(({ id, output }) => ({ id: `pred:${id}`, output })),
          ),
        );
        // The reference: one event at a time, in publish order.
        const reference = new InMemoryViews();
        for (const batch of batches) await projectEvents([batch], reference);

        // Shuffled, cut into random bulks, some delivered twice.
        let drawn = 0;
        const random = () => (choices[drawn++ % choices.length] % 1000) / 1000;
        const delivery = [...batches, ...batches.filter(() => random() < 0.3)].sort(() => random() - 0.5);
        const views = new InMemoryViews();
        for (let start = 0; start < delivery.length;) {
          const size = 1 + Math.floor(random() * 4);
          await projectEvents(delivery.slice(start, start + size), views);
          start += size;
        }
        expect(snapshotOf(views)).toEqual(snapshotOf(reference));

        // Exact: as many predictions as distinct ids, each in the first batch that sent it.
        const firstSender = new Map<string, Batch>();
        for (const batch of batches) {
          for (const p of batch.payload.predictions)
            if (!firstSender.has(p.predictionId)) firstSender.set(p.predictionId, batch);
        }
        expect(await totalOf(views)).toBe(firstSender.size);
        for (const model of [MODEL, OTHER_MODEL]) {
          const expected = [...firstSender.values()].filter((batch) => batch.payload.modelVersionId === model).length;
          const [total] = await servedTotals(views, { modelVersionId: model }, 'modelVersionId');
          expect(total?.predictions ?? 0).toBe(expected);
        }
        const recorded = await readRecordedPredictions(views, [...firstSender.keys()]);
        for (const [id, batch] of firstSender) expect(recorded.get(id)?.eventId).toBe(batch.eventId);

        // One alert per id whose records do not all agree with the first one.
        const contradicted = [...firstSender].filter(([id, standing]) => {
          const mine = (batch: Batch) => batch.payload.predictions.find((p) => p.predictionId === id);
          return batches.some(
            (batch) =>
              mine(batch) !== undefined &&
              (batch.payload.deploymentId !== standing.payload.deploymentId ||
                batch.payload.modelVersionId !== standing.payload.modelVersionId ||
                mine(batch)?.outputDigest !== mine(standing)?.outputDigest),
          );
        });
        const alerts = views.snapshot('alerts').filter((alert) => alert['type'] === CONFLICTING_PREDICTION);
        expect(alerts.map((alert) => alert['subject']).sort()).toEqual(contradicted.map(([id]) => id).sort());
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
