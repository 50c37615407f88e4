import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';
import { UpdateGate } from './update-gate';

/** Commands running now, over every recording collection, and the most seen at once. */
const load = { running: 0, mostAtOnce: 0 };

/** A collection whose bulkWrite records each command's size and how many run at once. */
function recordingCollection(failOnCommand?: number) {
  const sizes: number[] = [];
  const collection = {
    bulkWrite: async (operations: AnyBulkWriteOperation<Document>[]) => {
      const command = sizes.push(operations.length);
      load.running += 1;
      load.mostAtOnce = Math.max(load.mostAtOnce, load.running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      load.running -= 1;
      if (command === failOnCommand) throw new Error(`command ${command} refused`);
      return {};
    },
  } as unknown as Collection<Document>;
  return { collection, sizes };
}

const updates = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    updateOne: { filter: { _id: `d:${i}` }, update: { $set: { i } } },
  })) as unknown as AnyBulkWriteOperation<Document>[];

describe('UpdateGate', () => {
  it('sends updates in commands of at most 6 statements, at most 2 at a time across callers', async () => {
    const gate = new UpdateGate();
    load.mostAtOnce = 0;
    const a = recordingCollection();
    const b = recordingCollection();
    await Promise.all([gate.bulkWrite(a.collection, updates(100)), gate.bulkWrite(b.collection, updates(40))]);
    expect(a.sizes.reduce((x, y) => x + y, 0)).toBe(100);
    expect(b.sizes.reduce((x, y) => x + y, 0)).toBe(40);
    expect(Math.max(...a.sizes, ...b.sizes)).toBe(6);
    expect(load.mostAtOnce).toBe(2);
  });

  it('sends nothing for no updates', async () => {
    const c = recordingCollection();
    await new UpdateGate().bulkWrite(c.collection, []);
    expect(c.sizes).toEqual([]);
  });

  it('reports a refused command after every other command of the call has settled, and stays usable', async () => {
    const gate = new UpdateGate(10, 2);
    const c = recordingCollection(2);
    await expect(gate.bulkWrite(c.collection, updates(50))).rejects.toThrow('command 2 refused');
    expect(c.sizes).toEqual([10, 10, 10, 10, 10]);
    await gate.bulkWrite(c.collection, updates(5));
    expect(c.sizes).toHaveLength(6);
  });

  it('sends again only the upserts that lost a race to insert the same new _id; any other failure stands', async () => {
    /** The driver's error for a command some of whose statements failed, each with its index and code. */
    const bulkError = (writeErrors: Array<{ index: number; code: number }>) => {
      const error = Object.create(MongoBulkWriteError.prototype) as MongoBulkWriteError;
      Object.defineProperty(error, 'writeErrors', { value: writeErrors });
      return error;
    };
    const upserts = [0, 1, 2].map((i) => ({
      updateOne: { filter: { _id: `r:${i}` }, update: { $inc: { revision: 1 } }, upsert: true },
    })) as unknown as AnyBulkWriteOperation<Document>[];
    const sent: AnyBulkWriteOperation<Document>[][] = [];
    const racing = {
      bulkWrite: async (operations: AnyBulkWriteOperation<Document>[]) => {
        sent.push(operations);
        if (sent.length === 1) throw bulkError([{ index: 1, code: 11000 }]);
        return {};
      },
    } as unknown as Collection<Document>;
    await new UpdateGate().bulkWrite(racing, upserts);
    expect(sent).toEqual([upserts, [upserts[1]]]);

    // A duplicate key on a plain update, or another code, is not a race: it is reported.
    for (const [operations, code] of [
      [updates(3), 11000],
      [upserts, 121],
    ] as const) {
      const refusing = {
        bulkWrite: async () => {
          throw bulkError([{ index: 0, code }]);
        },
      } as unknown as Collection<Document>;
      await expect(new UpdateGate().bulkWrite(refusing, operations)).rejects.toBeInstanceOf(MongoBulkWriteError);
    }
  });
});
