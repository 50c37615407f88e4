import { churnUpstream, LineageEvents } from '@prov/testing';
import { projected } from './projected-views.test-helper';

export const MODEL = 'model:churn-classifier@3.1.0';
export const NEXT = 'model:churn-classifier@3.2.0';
export const DEPLOYMENT = 'deployment:churn-api';

/** Two models of one run, served one after the other, with three batches of predictions. */
export async function impactedViews(resend = false) {
  const events = new LineageEvents();
  const world = churnUpstream(events);
  const other = churnUpstream(events, '2026-12-01');
  const first = events.modelRegistered('churn-classifier', '3.1.0', world.ids.run);
  const second = events.modelRegistered('churn-classifier', '3.2.0', world.ids.run);
  const unrelated = events.modelRegistered('fraud', '1.0.0', other.ids.run);
  const created = events.deploymentCreated('churn-api', MODEL, '2026-11-01T00:00:00.000Z');
  const revised = events.deploymentRevised(DEPLOYMENT, NEXT, '2026-11-10T00:00:00.000Z');
  const batches = [
    events.predictionBatch(DEPLOYMENT, MODEL, [
      ['pred:a1', '2026-11-02T00:00:00.000Z'],
      ['pred:a2', '2026-11-03T00:00:00.000Z'],
    ]),
    events.predictionBatch(DEPLOYMENT, MODEL, [['pred:a3', '2026-11-01T12:00:00.000Z']]),
    events.predictionBatch(DEPLOYMENT, NEXT, [
      ['pred:b1', '2026-11-11T00:00:00.000Z'],
      ['pred:b2', '2026-11-12T00:00:00.000Z'],
    ]),
    events.predictionBatch('deployment:fraud', 'model:fraud@1.0.0', [['pred:f1', '2026-11-11T00:00:00.000Z']]),
  ];
  // A client's retry of the first batch, and a contradicting record of pred:b1 by the older model version.
  const resent = resend
    ? [
        {
          ...events.predictionBatch(DEPLOYMENT, MODEL, []),
          payload: { ...batches[0].payload, batchId: `batch:${events.uuid()}` },
        },
        events.predictionBatch(DEPLOYMENT, MODEL, [['pred:b1', '2026-11-11T00:00:00.000Z']]),
      ]
    : [];
  const views = await projected(
    ...world.all,
    ...other.all,
    first,
    second,
    unrelated,
    created,
    revised,
    ...batches,
    ...resent,
  );
  return { views, world };
}
