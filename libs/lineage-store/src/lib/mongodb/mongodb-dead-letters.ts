import type { Db, Filter } from 'mongodb';
import type { ConsumedPosition } from '../lineage-store.port';
import type { DeadLetterDocument } from '@prov/projections';
import { DeadLetterQuery, DeadLetterStore, deadLetterListKey } from '../dead-letters/dead-letter-store.port';
import { guarded } from './driver-errors';
import { insertAbsent } from './insert-absent';

/** A dead letter under its id, with the one key a listing sorts and resumes by. */
interface StoredDeadLetter extends DeadLetterDocument {
  _id: string;
  listKey: string;
}

interface PositionDocument extends ConsumedPosition {
  _id: string;
}

/**
 * The dead letters in `dead_letters` and how far the topic was folded in
 * `dead_letter_positions`. A listing is one range read of `listKey` on the
 * index of its filter, so a page costs its own documents whatever the total.
 */
export class MongoDeadLetters implements DeadLetterStore {
  constructor(private readonly db: Db) {}

  /** Creates the collections' indexes (idempotent). */
  async prepare(): Promise<void> {
    await guarded('prepare the dead letters', async () => {
      await this.letters().createIndex({ listKey: -1 });
      await this.letters().createIndex({ reason: 1, listKey: -1 });
      await this.letters().createIndex({ 'source.topic': 1, listKey: -1 });
    });
  }

  positions(): Promise<ConsumedPosition[]> {
    return guarded('read the dead-letter positions', async () =>
      (await this.positionsCollection().find({}).toArray())
        .map(({ topic, partition, offset }) => ({ topic, partition, offset }))
        .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1)),
    );
  }

  keep(letters: readonly DeadLetterDocument[], position: ConsumedPosition): Promise<void> {
    return guarded(`keep dead letters of ${position.topic}/${position.partition}`, async () => {
      // A letter redelivered finds the first one kept, and leaves it.
      await insertAbsent(
        this.letters(),
        letters.map((letter) => ({ ...letter, _id: letter.deadLetterId, listKey: deadLetterListKey(letter) })),
      );
      const { topic, partition, offset } = position;
      await this.positionsCollection().replaceOne(
        { _id: `${topic}|${partition}` },
        { topic, partition, offset },
        { upsert: true },
      );
    });
  }

  list(query: DeadLetterQuery): Promise<DeadLetterDocument[]> {
    return guarded('list the dead letters', async () => {
      const filter: Filter<StoredDeadLetter> = {};
      if (query.reason !== undefined) filter.reason = query.reason;
      if (query.topic !== undefined) filter['source.topic'] = query.topic;
      if (query.after !== undefined) filter.listKey = { $lt: deadLetterListKey(query.after) };
      const docs = await this.letters()
        .find(filter, { sort: [['listKey', -1]], limit: query.limit })
        .toArray();
      return docs.map(({ _id, listKey: _listKey, ...letter }) => letter);
    });
  }

  private letters() {
    return this.db.collection<StoredDeadLetter>('dead_letters');
  }

  private positionsCollection() {
    return this.db.collection<PositionDocument>('dead_letter_positions');
  }
}
