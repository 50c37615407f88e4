import type { ProvenanceEvent } from '@prov/contracts';
import type { LogRecord } from '@prov/event-log';
import { InMemoryViews } from '@prov/projections';
import { admitEvents, type DigestedEvent } from './event-admission';

function copy(eventId: string, digest: string, offset: number): DigestedEvent {
  const record = { topic: 't', partition: 0, offset: String(offset), key: 'k', value: Buffer.alloc(0), headers: {} };
  return { record: record as unknown as LogRecord, event: { eventId } as ProvenanceEvent, digest };
}

const summary = (admission: Awaited<ReturnType<typeof admitEvents>>) => ({
  fold: admission.fold.map((e) => [e.record.offset, e.replay]),
  conflicting: admission.conflicting.map((e) => e.record.offset),
});

describe('admitting events into a generation', () => {
  it('admits each new event id once, and tells replays from conflicting copies within a batch', async () => {
    const views = new InMemoryViews();
    const admission = await admitEvents(
      [copy('a', 'd1', 0), copy('b', 'd2', 1), copy('a', 'd1', 2), copy('a', 'dX', 3)],
      views,
    );
    expect(summary(admission)).toEqual({
      fold: [
        ['0', false],
        ['1', false],
        ['2', true],
      ],
      conflicting: ['3'],
    });
    expect(await views.find('folded_events', {})).toEqual([
      { _id: 'a', digest: 'd1' },
      { _id: 'b', digest: 'd2' },
    ]);
  });

  it('folds a copy of an event admitted by an earlier batch again, as a replay, and refuses one with another digest', async () => {
    const views = new InMemoryViews();
    await admitEvents([copy('a', 'd1', 0)], views);
    const admission = await admitEvents([copy('a', 'd1', 5), copy('a', 'd9', 6), copy('c', 'd3', 7)], views);
    expect(summary(admission)).toEqual({
      fold: [
        ['5', true],
        ['7', false],
      ],
      conflicting: ['6'],
    });
    expect((await views.get('folded_events', ['a'])).get('a')).toEqual({ _id: 'a', digest: 'd1' });
  });

  it('keeps the first digest when the first copy with it comes second in its batch', async () => {
    const views = new InMemoryViews();
    await admitEvents([copy('a', 'd1', 0)], views);
    const admission = await admitEvents([copy('a', 'd9', 3), copy('a', 'd1', 4)], views);
    expect(summary(admission)).toEqual({ fold: [['4', true]], conflicting: ['3'] });
  });

  it('writes nothing for a batch without events', async () => {
    const views = new InMemoryViews();
    expect(await admitEvents([], views)).toEqual({ fold: [], conflicting: [] });
    expect(await views.count('folded_events')).toBe(0);
  });
});
