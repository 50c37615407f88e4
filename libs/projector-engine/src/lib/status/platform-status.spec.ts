import { VIEW_NAMES } from '@prov/projections';
import type { LogHoldings } from '@prov/event-log';
import type { StoreHoldings } from '@prov/lineage-store';
import { platformStatus, recordsToFold } from './platform-status';

const none = Object.fromEntries(VIEW_NAMES.map((view) => [view, 0])) as Record<(typeof VIEW_NAMES)[number], number>;

describe('recordsToFold', () => {
  const ends = [
    {
      topic: 'training',
      partitions: [
        { partition: 0, earliest: '0', latest: '10' },
        { partition: 1, earliest: '0', latest: '4' },
      ],
    },
    { topic: 'inference', partitions: [{ partition: 0, earliest: '5', latest: '30' }] },
  ];

  it('counts every record of the topics for a generation that saved no offset', () => {
    expect(recordsToFold(ends, [])).toBe(10 + 4 + 25);
  });

  it('counts from each saved offset to the end, and nothing past it', () => {
    const saved = [
      { topic: 'training', partition: 0, offset: '10' },
      { topic: 'training', partition: 1, offset: '1' },
      { topic: 'inference', partition: 0, offset: '29' },
      { topic: 'elsewhere', partition: 0, offset: '3' },
    ];
    expect(recordsToFold(ends, saved)).toBe(0 + 3 + 1);
  });

  it('counts from the earliest offset when the log no longer holds the saved one, and 0 for one past the end', () => {
    const saved = [
      { topic: 'training', partition: 0, offset: '12' },
      { topic: 'inference', partition: 0, offset: '2' },
    ];
    expect(recordsToFold(ends, saved)).toBe(0 + 4 + 25);
  });

  it('reads offsets past 2^53 exactly', () => {
    const far = [{ topic: 't', partitions: [{ partition: 0, earliest: '0', latest: '9007199254740999' }] }];
    expect(recordsToFold(far, [{ topic: 't', partition: 0, offset: '9007199254740993' }])).toBe(6);
  });
});

describe('platformStatus', () => {
  const log: LogHoldings = {
    kind: 'file',
    topics: [
      { topic: 'training', partitions: 2, records: 14, bytesOnDisk: 2_000 },
      { topic: 'inference', partitions: 1, records: 25, bytesOnDisk: 9_000 },
    ],
  };
  const ends = [
    {
      topic: 'training',
      partitions: [
        { partition: 0, earliest: '0', latest: '10' },
        { partition: 1, earliest: '0', latest: '4' },
      ],
    },
  ];

  it('sums the topics and the views, and says what the active generation has still to fold', () => {
    const store: StoreHoldings = {
      kind: 'lmdb',
      active: {
        name: 'live-2',
        documents: { ...none, nodes: 7, edges: 5, predictions: 20 },
        offsets: [{ topic: 'training', partition: 0, offset: '8' }],
      },
      bytesOnDisk: 65_536,
    };
    expect(platformStatus(log, store, ends)).toEqual({
      eventLog: { kind: 'file', records: 39, bytesOnDisk: 11_000, topics: log.topics },
      store: {
        kind: 'lmdb',
        bytesOnDisk: 65_536,
        activeGeneration: {
          name: 'live-2',
          documents: 32,
          documentsByView: { ...none, nodes: 7, edges: 5, predictions: 20 },
          recordsToFold: 2 + 4,
        },
      },
    });
  });

  it('says unknown (null) bytes for a log that cannot tell them for a topic, and no active generation before one', () => {
    const kafka: LogHoldings = {
      kind: 'kafka',
      topics: [
        { topic: 'training', partitions: 2, records: 14, bytesOnDisk: null },
        { topic: 'inference', partitions: 1, records: 25, bytesOnDisk: null },
      ],
    };
    const status = platformStatus(kafka, { kind: 'memory', active: null, bytesOnDisk: null }, ends);
    expect(status.eventLog).toMatchObject({ kind: 'kafka', records: 39, bytesOnDisk: null });
    expect(status.store).toEqual({ kind: 'memory', bytesOnDisk: null, activeGeneration: null });
  });
});
