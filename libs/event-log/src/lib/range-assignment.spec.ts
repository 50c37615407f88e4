import { assignRanges } from './range-assignment';

describe('assignRanges', () => {
  const partitions = (counts: Record<string, number>) => (topic: string) => counts[topic];

  it('gives each member a contiguous range, the first ones one more when the count does not divide', () => {
    const assignment = assignRanges(
      [
        { id: 'a', topics: ['t'] },
        { id: 'b', topics: ['t'] },
      ],
      partitions({ t: 5 }),
    );

    expect(assignment.get('a')?.map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(assignment.get('b')?.map((p) => p.partition)).toEqual([3, 4]);
  });

  it('splits each topic among its own subscribers only, leaving extra members without partitions', () => {
    const assignment = assignRanges(
      [
        { id: 'a', topics: ['t', 'u'] },
        { id: 'b', topics: ['u'] },
        { id: 'c', topics: ['t'] },
        { id: 'd', topics: ['t'] },
      ],
      partitions({ t: 2, u: 2 }),
    );

    expect(assignment.get('a')).toEqual([
      { topic: 't', partition: 0 },
      { topic: 'u', partition: 0 },
    ]);
    expect(assignment.get('b')).toEqual([{ topic: 'u', partition: 1 }]);
    expect(assignment.get('c')).toEqual([{ topic: 't', partition: 1 }]);
    expect(assignment.get('d')).toEqual([]);
  });

  it('gives every partition of an exclusive topic to one member, the first subscriber, and shares the others', () => {
    const member = (id: string) => ({
      id,
      topics: ['lineage', 'other', 'predictions'],
      exclusiveTopics: ['lineage', 'other'],
    });
    const assignment = assignRanges(
      [member('a'), member('b'), member('c')],
      partitions({ lineage: 6, other: 1, predictions: 6 }),
    );

    expect(assignment.get('a')).toEqual([
      ...[0, 1, 2, 3, 4, 5].map((partition) => ({ topic: 'lineage', partition })),
      { topic: 'other', partition: 0 },
      { topic: 'predictions', partition: 0 },
      { topic: 'predictions', partition: 1 },
    ]);
    expect(assignment.get('b')).toEqual([2, 3].map((partition) => ({ topic: 'predictions', partition })));
    expect(assignment.get('c')).toEqual([4, 5].map((partition) => ({ topic: 'predictions', partition })));
  });
});
