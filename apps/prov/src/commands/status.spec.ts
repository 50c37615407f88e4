import { VIEW_NAMES } from '@prov/projections';
import type { ProvenanceClient, StatusAnswer } from '@prov/sdk';
import { stripVTControlCharacters } from 'node:util';
import { Output } from '../cli/output';
import { formatBytes, statusSummary } from '../cli/render';
import { status } from './status';

const none = Object.fromEntries(VIEW_NAMES.map((view) => [view, 0])) as Record<(typeof VIEW_NAMES)[number], number>;

const documentsByView = { ...none, nodes: 20, edges: 20, predictions: 1500 };
const embedded: StatusAnswer = {
  eventLog: {
    kind: 'file',
    records: 1234,
    bytesOnDisk: 402_000,
    topics: [
      { topic: 'provenance.training.v1', partitions: 6, records: 34, bytesOnDisk: 21_000 },
      { topic: 'provenance.inference.v1', partitions: 6, records: 1200, bytesOnDisk: 381_000 },
    ],
  },
  store: {
    kind: 'lmdb',
    bytesOnDisk: 3 * 1024 * 1024,
    activeGeneration: {
      name: 'live-1',
      documents: 1540,
      documentsByView,
      recordsToFold: 0,
    },
  },
};

describe('prov status', () => {
  let written: string[];
  const out = (json: boolean) => {
    const stream = { write: (s: string) => written.push(s), isTTY: false } as unknown as NodeJS.WriteStream;
    return new Output(json, stream, stream);
  };
  const clientAnswering = (answer: StatusAnswer) =>
    ({ status: jest.fn(async () => answer) }) as unknown as ProvenanceClient;
  const printed = () => stripVTControlCharacters(written.join(''));

  beforeEach(() => {
    written = [];
  });

  it('prints the records per topic, the documents per view of the active generation and the sizes on disk', async () => {
    expect(await status(clientAnswering(embedded), out(false))).toBe(0);
    const lines = printed().split('\n');
    expect(lines[0]).toBe('Event log (file): 1,234 records, 392.6 KiB on disk');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}topic +partitions +records +on disk$/),
        expect.stringMatching(/^ {2}provenance\.training\.v1 +6 +34 +20\.5 KiB$/),
        expect.stringMatching(/^ {2}provenance\.inference\.v1 +6 +1,200 +372\.1 KiB$/),
        'Views (lmdb): 3.0 MiB on disk',
        '  active generation live-1: 1,540 documents, holds everything in the log',
        expect.stringMatching(/^ {2}predictions +1,500$/),
        expect.stringMatching(/^ {2}folded_events +0$/),
      ]),
    );
    // Every view, in the order of the answer.
    const views = lines.filter((line) => VIEW_NAMES.some((view) => line.startsWith(`  ${view} `)));
    expect(views.map((line) => line.trim().split(/ +/)[0])).toEqual(Object.keys(documentsByView));
  });

  it('prints the answer itself with --json', async () => {
    expect(await status(clientAnswering(embedded), out(true))).toBe(0);
    expect(JSON.parse(written.join(''))).toEqual(embedded);
  });

  it('says what it cannot tell, what is still to fold, and when no generation is active yet', async () => {
    const onKafka: StatusAnswer = {
      eventLog: {
        kind: 'kafka',
        records: 40,
        bytesOnDisk: null,
        topics: [{ topic: 'provenance.inference.v1', partitions: 6, records: 40, bytesOnDisk: null }],
      },
      store: {
        kind: 'memory',
        bytesOnDisk: null,
        activeGeneration: { name: 'live-2', documents: 7, documentsByView: { ...none, nodes: 7 }, recordsToFold: 12 },
      },
    };
    await status(clientAnswering(onKafka), out(false));
    expect(printed()).toContain('Event log (kafka): 40 records, size on disk unknown');
    expect(printed()).toMatch(/provenance\.inference\.v1 +6 +40 +size unknown/);
    expect(printed()).toContain('Views (memory): in memory, nothing on disk');
    expect(printed()).toContain('active generation live-2: 7 documents, 12 records of the log still to fold');

    written = [];
    await status(
      clientAnswering({ ...onKafka, store: { kind: 'mongodb', bytesOnDisk: 8192, activeGeneration: null } }),
      out(false),
    );
    expect(printed()).toContain('Views (mongodb): 8.0 KiB on disk');
    expect(printed()).toContain('no active generation yet');
  });

  it('sums the facts up in one line for the start banner', () => {
    expect(statusSummary(embedded)).toBe(
      'the log holds 1,234 records (392.6 KiB on disk); the views of generation live-1 1,540 documents (3.0 MiB on disk)',
    );
  });

  it('writes sizes in binary units', () => {
    expect([0, 1023, 1024, 1536, 5 * 1024 ** 2, 2.25 * 1024 ** 3, null].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '1.5 KiB',
      '5.0 MiB',
      '2.3 GiB',
      'size unknown',
    ]);
  });
});
