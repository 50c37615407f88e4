import type { DeadLetterDocument } from '@prov/projections';
import type { DeadLetterStore } from './dead-letter-store.port';

/**
 * What every DeadLetterStore adapter owes the projector and the gateway, as
 * one Jest suite each adapter's spec runs against itself. `open` gives a
 * store with no dead letter.
 */
export function describeDeadLetterStoreContract(
  adapterName: string,
  open: () => Promise<{ deadLetters: DeadLetterStore; close(): Promise<void> }>,
): void {
  describe(`DeadLetterStore contract: ${adapterName}`, () => {
    let opened: { deadLetters: DeadLetterStore; close(): Promise<void> };
    let store: DeadLetterStore;
    beforeEach(async () => {
      opened = await open();
      store = opened.deadLetters;
    });
    afterEach(() => opened.close());

    const letter = (
      topic: string,
      offset: number,
      recordedAt: string,
      reason: DeadLetterDocument['reason'],
    ): DeadLetterDocument => ({
      deadLetterId: `deadletter:${topic}/0/${offset}`,
      reason,
      problems: [{ path: 'payload.$where', problem: `refused at ${offset}` }],
      source: { topic, partition: 0, offset: String(offset), key: `key "${offset}"` },
      rejectedBy: 'projector',
      recordedAt,
      messageHeadBase64: Buffer.from(`{"offset":${offset}`).toString('base64'),
      messageTruncated: offset % 2 === 0,
    });
    /** A position on the dead-letter topic. */
    const at = (partition: number, offset: number) => ({
      topic: 'provenance.deadletter.v1',
      partition,
      offset: String(offset),
    });
    const training = 'provenance.training.v1';
    const inference = 'provenance.inference.v1';
    const ids = (letters: DeadLetterDocument[]) => letters.map((l) => l.deadLetterId);

    it('starts empty', async () => {
      expect(await store.positions()).toEqual([]);
      expect(await store.list({ limit: 10 })).toEqual([]);
    });

    it('keeps a dead letter once, as first kept, and the position of each partition', async () => {
      const first = letter(training, 7, '2026-12-01T10:00:00.000Z', 'unparseable');
      await store.keep([first], at(0, 1));
      await store.keep([{ ...first, recordedAt: '2026-12-01T11:00:00.000Z', reason: 'bad-signature' }], at(0, 2));
      await store.keep([], at(3, 10));
      expect(await store.list({ limit: 10 })).toEqual([first]);
      expect(await store.positions()).toEqual([at(0, 2), at(3, 10)]);
    });

    it('lists newest first, by reason or topic, and goes on after a position without repeating one', async () => {
      const letters = [
        letter(training, 1, '2026-12-01T10:00:00.000Z', 'unparseable'),
        letter(inference, 2, '2026-12-01T10:00:01.000Z', 'bad-signature'),
        // Three refused in the same millisecond: the id orders them.
        letter(inference, 3, '2026-12-01T10:00:02.000Z', 'unparseable'),
        letter(training, 4, '2026-12-01T10:00:02.000Z', 'unparseable'),
        letter(inference, 5, '2026-12-01T10:00:02.000Z', 'invalid-payload'),
      ];
      await store.keep(letters, at(0, 5));
      const newestFirst = [
        `deadletter:${training}/0/4`,
        `deadletter:${inference}/0/5`,
        `deadletter:${inference}/0/3`,
        `deadletter:${inference}/0/2`,
        `deadletter:${training}/0/1`,
      ];
      expect(ids(await store.list({ limit: 10 }))).toEqual(newestFirst);
      expect(await store.list({ limit: 1 })).toEqual([letters[3]]);
      const paged: string[] = [];
      let page = await store.list({ limit: 2 });
      while (page.length > 0) {
        paged.push(...ids(page));
        page = await store.list({ limit: 2, after: page[page.length - 1] });
      }
      expect(paged).toEqual(newestFirst);
      expect(ids(await store.list({ limit: 10, reason: 'unparseable' }))).toEqual([
        `deadletter:${training}/0/4`,
        `deadletter:${inference}/0/3`,
        `deadletter:${training}/0/1`,
      ]);
      expect(ids(await store.list({ limit: 10, topic: inference, after: letters[4] }))).toEqual([
        `deadletter:${inference}/0/3`,
        `deadletter:${inference}/0/2`,
      ]);
      expect(await store.list({ limit: 10, topic: inference, reason: 'forbidden-producer' })).toEqual([]);
    });
  });
}
