import { digest, LineageEvents } from '@prov/testing';
import type { ProvenanceEvent } from '@prov/contracts';
import { InMemoryViews } from './in-memory-views';
import { foldFacts, projectEvents } from './project-events';
import { snapshotOf } from './projection-scenario.test-helper';
import { isSettled, settle, type Settlement } from './settlement';
import type { ViewWrite } from './view-store.port';

/** One replica's fold of a round, cut in two: computing its writes, then applying and settling them. */
async function computed(events: ProvenanceEvent[], views: InMemoryViews) {
  return foldFacts(events, views);
}

async function appliedAndSettled(round: { writes: ViewWrite[]; settlement: Settlement }, views: InMemoryViews) {
  let { writes, settlement } = round;
  let rounds = 0;
  for (;;) {
    await views.apply(writes);
    if (isSettled(settlement)) return rounds;
    ({ writes, settlement } = await settle(settlement, views));
    // A round that found every version where it was computes nothing.
    if (writes.length > 0) rounds += 1;
  }
}

describe('settling what several replicas write', () => {
  const events = new LineageEvents();
  const model = 'model:unregistered@1';
  const first = events.predictionBatch('deployment:a', model, ['pred:1', 'pred:2']);
  const second = events.predictionBatch('deployment:b', model, ['pred:3', 'pred:2']);
  const contradicting = events.predictionBatch('deployment:c', 'model:other@1', ['pred:2'], digest('4'));

  it('writes again what a slower replica computed from fewer facts, so the views end as one replica leaves them', async () => {
    const reference = new InMemoryViews();
    await projectEvents([first], reference);
    await projectEvents([second], reference);
    await projectEvents([contradicting], reference);

    const views = new InMemoryViews();
    // Replica A computes from the first batch alone; B and C fold theirs meanwhile, and A writes last.
    const slow = await computed([first], views);
    await appliedAndSettled(await computed([second], views), views);
    await appliedAndSettled(await computed([contradicting], views), views);
    const rounds = await appliedAndSettled(slow, views);

    expect(rounds).toBeGreaterThan(0);
    expect(snapshotOf(views)).toEqual(snapshotOf(reference));
    expect(
      views.snapshot('alerts').find((alert) => alert._id === `prediction.unknown-model-version|${model}`),
    ).toMatchObject({
      details: { predictions: 3, batches: 2 },
    });
  });

  it('is settled at once when no fact arrived meanwhile', async () => {
    const views = new InMemoryViews();
    expect(await appliedAndSettled(await computed([first], views), views)).toBe(0);
    expect(await appliedAndSettled(await computed([second, contradicting], views), views)).toBe(0);
  });
});
