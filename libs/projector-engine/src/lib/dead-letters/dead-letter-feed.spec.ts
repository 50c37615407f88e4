import { Topics } from '@prov/contracts';
import { FileEventLog, LogRecord } from '@prov/event-log';
import { generateSigningKeyPair } from '@prov/integrity';
import { InMemoryLineageStore } from '@prov/lineage-store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetterFeed } from './dead-letter-feed';
import { DeadLetterPublisher } from './dead-letter-publisher';

const key = generateSigningKeyPair();
const signer = { keyId: key.keyId, privateKey: key.privateKey };

const refused = (offset: number): LogRecord => ({
  topic: Topics.inference,
  partition: 1,
  offset: String(offset),
  key: 'batch:x',
  value: Buffer.from(`poison ${offset}`),
  headers: {},
  timestamp: 0,
});

describe('the dead-letter feed', () => {
  let directory: string;
  let log: FileEventLog;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'dead-letter-feed-'));
    log = await FileEventLog.open(directory);
    await log.ensureTopics([{ name: Topics.deadLetter, partitions: 2 }]);
  });
  afterEach(async () => {
    await log.close();
    await rm(directory, { recursive: true, force: true });
  });

  const feedOn = (store: InMemoryLineageStore, foreign: string[] = []) =>
    new DeadLetterFeed(log, {
      store: store.deadLetters,
      signers: {
        service: 'projector',
        keys: (keyId) => (keyId === key.keyId ? { keyId, service: 'projector', publicKey: key.publicKey } : undefined),
        requireSignatures: true,
      },
      maxBatchSize: 2,
      pollIntervalMs: 10,
      onForeignRecord: ({ offset }, problem) => foreign.push(`${offset}: ${problem}`),
    });
  const caughtUp = async (feed: DeadLetterFeed) => {
    await feed.start();
    try {
      await feed.catchUp();
    } finally {
      await feed.stop();
    }
  };
  const listed = async (store: InMemoryLineageStore) =>
    (await store.deadLetters.list({ limit: 100 })).map((letter) => letter.deadLetterId).sort();

  it('lists each dead letter of the topic once, a redelivered one too, and leaves out what is none', async () => {
    await new DeadLetterPublisher(log, 'projector', signer).publish(
      [1, 2, 3].map((offset) => ({
        record: refused(offset),
        reason: 'unparseable' as const,
        problems: [{ path: '', problem: 'not JSON' }],
      })),
    );
    // The same letter once more, as a publisher that crashed before its acknowledgement would send it.
    const [first] = (
      await Promise.all([0, 1].map((partition) => log.read(Topics.deadLetter, partition, '0', 1)))
    ).flat();
    await log.publish(Topics.deadLetter, [{ key: first.key, value: first.value }]);
    await log.publish(Topics.deadLetter, [{ key: 'deadletter:provenance.inference.v1/1/9', value: Buffer.from('{}') }]);
    const store = new InMemoryLineageStore();
    const foreign: string[] = [];
    await caughtUp(feedOn(store, foreign));
    expect(await listed(store)).toEqual([1, 2, 3].map((o) => `deadletter:provenance.inference.v1/1/${o}`));
    expect(foreign).toHaveLength(1);

    // Started again on the same store, it goes on from where it was: nothing is listed twice.
    await new DeadLetterPublisher(log, 'projector', signer).publish([
      { record: refused(4), reason: 'bad-signature', problems: [{ path: 'integrity.signature', problem: 'x' }] },
    ]);
    await caughtUp(feedOn(store, foreign));
    expect(await listed(store)).toEqual([1, 2, 3, 4].map((o) => `deadletter:provenance.inference.v1/1/${o}`));
    expect(foreign).toHaveLength(1);
  });

  it('folds letters published while it runs', async () => {
    const store = new InMemoryLineageStore();
    const feed = feedOn(store);
    await feed.start();
    try {
      await new DeadLetterPublisher(log, 'projector', signer).publish([
        { record: refused(7), reason: 'invalid-envelope', problems: [{ path: 'eventId', problem: 'x' }] },
      ]);
      const deadline = Date.now() + 5_000;
      while ((await listed(store)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await feed.stop();
    }
    expect(await listed(store)).toEqual(['deadletter:provenance.inference.v1/1/7']);
  });
});
