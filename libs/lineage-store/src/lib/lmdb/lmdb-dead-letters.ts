import type { DeadLetterDocument } from '@prov/projections';
import { deadLetterListKey, type DeadLetterQuery, type DeadLetterStore } from '../dead-letters/dead-letter-store.port';
import type { ConsumedPosition } from '../lineage-store.port';
import type { LmdbEnvironment } from './lmdb-environment';

/**
 * The dead letters in the embedded store's `dead_letters` database:
 * `['letter', id]` marks one kept, `['list', <recorded time>|<id>]` holds it
 * in listing order, `['position', topic, partition]` how far the topic was
 * folded; a `keep` is one transaction.
 */
export class LmdbDeadLetters implements DeadLetterStore {
  private readonly db;

  constructor(private readonly environment: LmdbEnvironment) {
    this.db = environment.openJson<unknown>('dead_letters');
  }

  async positions(): Promise<ConsumedPosition[]> {
    return [...this.db.getRange({ start: ['position'], end: ['position\u0000'] })].map(({ key }) => ({
      topic: key[1] as string,
      partition: key[2] as number,
      offset: this.db.get(key) as string,
    }));
  }

  async keep(letters: readonly DeadLetterDocument[], position: ConsumedPosition): Promise<void> {
    await this.environment.durably(() => {
      for (const letter of letters) {
        if (this.db.doesExist(['letter', letter.deadLetterId])) continue;
        this.db.putSync(['letter', letter.deadLetterId], true);
        this.db.putSync(['list', deadLetterListKey(letter)], letter);
      }
      this.db.putSync(['position', position.topic, position.partition], position.offset);
    });
  }

  async list(query: DeadLetterQuery): Promise<DeadLetterDocument[]> {
    const after = query.after && deadLetterListKey(query.after);
    const found: DeadLetterDocument[] = [];
    // Newest first: from the end of the listing (or the page's last letter) backwards.
    for (const { key, value } of this.db.getRange({
      start: ['list', after ?? '\uffff'],
      end: ['list'],
      reverse: true,
    })) {
      if (found.length >= query.limit) break;
      if (after !== undefined && key[1] === after) continue;
      const letter = value as DeadLetterDocument;
      if (query.reason !== undefined && letter.reason !== query.reason) continue;
      if (query.topic !== undefined && letter.source.topic !== query.topic) continue;
      found.push(letter);
    }
    return found;
  }
}
