import type { ConsumedPosition } from '../lineage-store.port';
import type { DeadLetterDocument } from '@prov/projections';
import { DeadLetterQuery, DeadLetterStore, deadLetterListKey } from '../dead-letters/dead-letter-store.port';

/** The embedded mode's dead letters: in process memory, folded again from the dead-letter topic at start. */
export class InMemoryDeadLetters implements DeadLetterStore {
  private readonly letters = new Map<string, DeadLetterDocument>();
  /** By `<topic>|<partition>`. */
  private readonly folded = new Map<string, ConsumedPosition>();

  async positions(): Promise<ConsumedPosition[]> {
    return [...this.folded.values()]
      .map((position) => ({ ...position }))
      .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  async keep(letters: readonly DeadLetterDocument[], position: ConsumedPosition): Promise<void> {
    for (const letter of letters)
      if (!this.letters.has(letter.deadLetterId)) this.letters.set(letter.deadLetterId, structuredClone(letter));
    this.folded.set(`${position.topic}|${position.partition}`, { ...position });
  }

  async list(query: DeadLetterQuery): Promise<DeadLetterDocument[]> {
    const after = query.after && deadLetterListKey(query.after);
    return [...this.letters.values()]
      .filter(
        (letter) =>
          (query.reason === undefined || letter.reason === query.reason) &&
          (query.topic === undefined || letter.source.topic === query.topic) &&
          (after === undefined || deadLetterListKey(letter) < after),
      )
      .sort((a, b) => (deadLetterListKey(a) < deadLetterListKey(b) ? 1 : -1))
      .slice(0, query.limit)
      .map((letter) => structuredClone(letter));
  }
}
