import { LineageEvents } from '@prov/testing';
import { batchFactWrites } from './batch-fact-writes';
import { unknownDeploymentAlerts } from './deployment-alerts';
import { InMemoryViews } from './in-memory-views';
import { applyUntilSettled, foldFacts, projectEvents } from './project-events';
import { given } from './projection-scenario.test-helper';
import type { ViewName, ViewReader } from './view-store.port';

const MODEL = 'model:churn@1';
const DEPLOYMENT = 'deployment:churn-api';
const ID = `prediction.unknown-deployment|${DEPLOYMENT}`;

/** The reads a reader was asked for, by kind and view. */
function counted(views: InMemoryViews): { reader: ViewReader; reads: string[] } {
  const reads: string[] = [];
  const note =
    (kind: string) =>
    (view: ViewName): void => {
      reads.push(`${kind} ${view}`);
    };
  const reader: ViewReader = {
    get: (view, ids) => (note('get')(view), views.get(view, ids)),
    find: (view, query) => (note('find')(view), views.find(view, query)),
    count: (view, where) => (note('count')(view), views.count(view, where)),
    sum: (view, where, field, groupBy) => (note('sum')(view), views.sum(view, where, field, groupBy)),
  };
  return { reader, reads };
}

describe('unknown-deployment alerts', () => {
  it('raises one alert per deployment never created, from its first batch, however many batches name it', async () => {
    const events = new LineageEvents();
    const first = events.predictionBatch(DEPLOYMENT, MODEL, ['pred:1', 'pred:2']);
    const second = events.predictionBatch(DEPLOYMENT, 'model:churn@2', ['pred:3']);
    const then = await given(first).when(second, events.predictionBatch(DEPLOYMENT, MODEL, ['pred:4']));
    expect(then.ids('alerts').filter((id) => id.startsWith('prediction.unknown-deployment'))).toEqual([ID]);
    expect(then.doc('alerts', ID)).toEqual({
      _id: ID,
      type: 'prediction.unknown-deployment',
      subject: DEPLOYMENT,
      modelVersionId: MODEL,
      severity: 'high',
      details: {
        created: false,
        createdAt: null,
        firstBatch: { eventId: first.eventId, batchId: first.payload.batchId },
      },
      firstRecordedAt: first.recordedAt,
    });
  });

  it('keeps the alert once the deployment is created, as history, and raises none for batches after it', async () => {
    const events = new LineageEvents();
    const early = events.predictionBatch(DEPLOYMENT, MODEL, ['pred:1']);
    const created = events.deploymentCreated('churn-api', MODEL);
    const late = events.predictionBatch(DEPLOYMENT, MODEL, ['pred:2']);
    const then = await given(early, created).when(late);
    expect(then.doc('alerts', ID)).toMatchObject({
      details: { created: true, createdAt: created.recordedAt, firstBatch: { eventId: early.eventId } },
      firstRecordedAt: early.recordedAt,
    });

    const healthy = await given(events.deploymentCreated('other-api', MODEL)).when(
      events.predictionBatch('deployment:other-api', MODEL, ['pred:3']),
    );
    expect(healthy.ids('alerts').filter((id) => id.startsWith('prediction.unknown-deployment'))).toEqual([]);
  });

  it('clears an alert that a batch folded before the creation raised, when the batch was recorded after it', async () => {
    const events = new LineageEvents();
    const created = events.deploymentCreated('churn-api', MODEL);
    const batch = events.predictionBatch(DEPLOYMENT, MODEL, ['pred:1']);
    // The inference topic is folded ahead of the registry's.
    const then = await given(batch).when();
    expect(then.ids('alerts')).toContain(ID);
    await then.and(created);
    expect(then.ids('alerts')).not.toContain(ID);
  });

  it('takes the earliest batch as first whatever order batches are folded in', async () => {
    const events = new LineageEvents();
    const earlier = events.predictionBatch(DEPLOYMENT, MODEL, ['pred:1']);
    const later = events.predictionBatch(DEPLOYMENT, 'model:churn@2', ['pred:2']);
    const then = await given(later).when(earlier);
    expect(then.doc('alerts', ID)).toMatchObject({
      modelVersionId: MODEL,
      details: { firstBatch: { eventId: earlier.eventId } },
      firstRecordedAt: earlier.recordedAt,
    });
  });

  it('costs a round of batches one point read of its deployments, and the alert’s own read once it is raised', async () => {
    const events = new LineageEvents();
    const views = new InMemoryViews();
    await projectEvents([events.deploymentCreated('churn-api', MODEL)], views);
    const known = counted(views);
    const served = [1, 2, 3].map((n) => events.predictionBatch(DEPLOYMENT, MODEL, [`pred:${n}`]));
    await views.apply(batchFactWrites(served));
    expect(await unknownDeploymentAlerts(served, known.reader)).toEqual({ writes: [], deploymentsOf: new Map() });
    expect(known.reads).toEqual(['get nodes']);

    await projectEvents([events.predictionBatch('deployment:ghost', MODEL, ['pred:g-1'])], views);
    const ghost = counted(views);
    const more = [2, 3].map((n) => events.predictionBatch('deployment:ghost', MODEL, [`pred:g-${n}`]));
    await views.apply(batchFactWrites(more));
    expect(await unknownDeploymentAlerts(more, ghost.reader)).toEqual({ writes: [], deploymentsOf: new Map() });
    expect(ghost.reads).toEqual(['get nodes', 'get alerts']);
  });

  it('writes the alert again when the deployment was created while a replica computed it', async () => {
    const events = new LineageEvents();
    const created = events.deploymentCreated('churn-api', MODEL);
    const batch = events.predictionBatch(DEPLOYMENT, MODEL, ['pred:1']);
    const views = new InMemoryViews();
    // One replica computes the batch's round before the deployment is folded; another folds it, and the first writes last.
    const slow = await foldFacts([batch], views);
    await projectEvents([created], views);
    expect(slow.writes.map((write) => write.id)).toContain(ID);
    await applyUntilSettled(slow, views);
    expect(views.snapshot('alerts').map((alert) => alert._id)).not.toContain(ID);
  });
});
