import { digest, LineageEvents } from '@prov/testing';
import type { ProvenanceEvent } from '@prov/contracts';
import { InMemoryViews } from './in-memory-views';
import { applyUntilSettled, foldFacts, projectEvents } from './project-events';
import { snapshotOf } from './projection-scenario.test-helper';
import type { Settlement } from './settlement';
import type { ViewWrite } from './view-store.port';

/** One replica's fold of a round, cut in two: computing its writes, then applying and settling them. */
async function computed(events: ProvenanceEvent[], views: InMemoryViews) {
  return foldFacts(events, views);
}

/** Applies and settles a round; how many times settling found facts that had moved and wrote again. */
async function appliedAndSettled(round: { writes: ViewWrite[]; settlement: Settlement }, views: InMemoryViews) {
  let applied = 0;
  let rewritten = 0;
  await applyUntilSettled(round, views, async (writes) => {
    // The first writes are the round's own; after them, a settling that found every version where it was writes nothing.
    if (applied++ > 0 && writes.length > 0) rewritten += 1;
  });
  return rewritten;
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

  it('reads every claim again where the writer that contested an id first, from the claims it knew, writes last', async () => {
    const reference = new InMemoryViews();
    for (const batch of [first, second, contradicting]) await projectEvents([batch], reference);

    const views = new InMemoryViews();
    await projectEvents([first], views);
    // A contests pred:2 first and computes its conflict from two claims; C contests it too and writes first.
    const slow = await computed([second], views);
    await appliedAndSettled(await computed([contradicting], views), views);
    const rounds = await appliedAndSettled(slow, views);

    expect(rounds).toBeGreaterThan(0);
    expect(snapshotOf(views)).toEqual(snapshotOf(reference));
    expect(views.snapshot('alerts').find((alert) => alert._id === 'conflicting-prediction|pred:2')).toBeDefined();
  });

  it('is settled at once when no fact arrived meanwhile', async () => {
    const views = new InMemoryViews();
    expect(await appliedAndSettled(await computed([first], views), views)).toBe(0);
    expect(await appliedAndSettled(await computed([second, contradicting], views), views)).toBe(0);
  });
});
