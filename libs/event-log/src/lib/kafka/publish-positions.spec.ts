import { positionsInRequest } from './publish-positions';

describe('positions of the messages of a produce request', () => {
  it("counts each message's offset from its partition's base offset, in input order", () => {
    const positions = positionsInRequest(
      [{ topic: 't', partitions: [2, 0, 2, 2, 0] }],
      [
        { topicName: 't', partition: 0, baseOffset: '10' },
        { topicName: 't', partition: 2, baseOffset: '7' },
      ],
    );

    expect(positions).toEqual([
      [
        { partition: 2, offset: '7' },
        { partition: 0, offset: '10' },
        { partition: 2, offset: '8' },
        { partition: 2, offset: '9' },
        { partition: 0, offset: '11' },
      ],
    ]);
  });

  it('gives publishes merged into one request consecutive offsets, per topic and partition, in turn', () => {
    const positions = positionsInRequest(
      [
        { topic: 'a', partitions: [1, 1] },
        { topic: 'b', partitions: [1] },
        { topic: 'a', partitions: [1, 0] },
      ],
      [
        { topicName: 'b', partition: 1, baseOffset: '0' },
        { topicName: 'a', partition: 1, baseOffset: '40' },
        { topicName: 'a', partition: 0, baseOffset: '3' },
      ],
    );

    expect(positions).toEqual([
      [
        { partition: 1, offset: '40' },
        { partition: 1, offset: '41' },
      ],
      [{ partition: 1, offset: '0' }],
      [
        { partition: 1, offset: '42' },
        { partition: 0, offset: '3' },
      ],
    ]);
  });

  it('computes beyond 2^53, as Kafka offsets are 64-bit', () => {
    const [[first, second]] = positionsInRequest(
      [{ topic: 't', partitions: [0, 0] }],
      [{ topicName: 't', partition: 0, baseOffset: '9007199254740993' }],
    );

    expect([first.offset, second.offset]).toEqual(['9007199254740993', '9007199254740994']);
  });

  it('fails, retriable, when a partition has no acknowledged offset', () => {
    expect(() =>
      positionsInRequest([{ topic: 't', partitions: [0, 1] }], [{ topicName: 't', partition: 0, baseOffset: '0' }]),
    ).toThrow(expect.objectContaining({ retriable: true, message: expect.stringContaining('t/1') }));
  });
});
