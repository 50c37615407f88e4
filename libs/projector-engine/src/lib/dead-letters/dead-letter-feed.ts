import { Topics } from '@prov/contracts';
import type { EventLog } from '@prov/event-log';
import type { ConsumedPosition, DeadLetterStore } from '@prov/lineage-store';
import type { DeadLetterDocument } from '@prov/projections';
import { SerialPoller } from '../feeds/serial-poller';
import { DeadLetterSigners, foldDeadLetter } from './dead-letter.fold';

export interface DeadLetterFeedOptions {
  store: DeadLetterStore;
  signers: DeadLetterSigners;
  maxBatchSize: number;
  /** How long to wait for new records when every partition has been read to its end. */
  pollIntervalMs: number;
  /** Told of each record of the topic that is not a dead letter of the platform (it is left out). */
  onForeignRecord: (position: ConsumedPosition, problem: string) => void;
}

/**
 * Folds the dead-letter topic into the store's dead letters, so that they
 * are listed without reading the topic. It reads each partition from the
 * position the store keeps (no consumer group: every replica folds the
 * whole topic, and the letters are kept by id, so they agree).
 */
export class DeadLetterFeed {
  private positions = new Map<number, string>();
  private readonly poller: SerialPoller;

  constructor(
    private readonly log: EventLog,
    private readonly options: DeadLetterFeedOptions,
  ) {
    this.poller = new SerialPoller(() => this.readAvailable(), options.pollIntervalMs);
  }

  async start(): Promise<void> {
    this.positions = new Map(
      (await this.options.store.positions())
        .filter((position) => position.topic === Topics.deadLetter)
        .map(({ partition, offset }) => [partition, offset]),
    );
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Reads every partition up to its end, now: resolves with the number of records read. */
  catchUp(): Promise<number> {
    return this.poller.catchUp();
  }

  private async readAvailable(): Promise<number> {
    let read = 0;
    for (const { partition, latest } of await this.log.offsets(Topics.deadLetter)) {
      const from = this.positions.get(partition) ?? '0';
      if (BigInt(from) >= BigInt(latest)) continue;
      const records = await this.log.read(Topics.deadLetter, partition, from, this.options.maxBatchSize);
      if (records.length === 0) continue;
      const letters: DeadLetterDocument[] = [];
      for (const record of records) {
        const folded = foldDeadLetter(record, this.options.signers);
        if (folded.kind === 'dead-letter') letters.push(folded.letter);
        else this.options.onForeignRecord(record, folded.problem);
      }
      const next = (BigInt(records[records.length - 1].offset) + 1n).toString();
      await this.options.store.keep(letters, { topic: Topics.deadLetter, partition, offset: next });
      this.positions.set(partition, next);
      read += records.length;
    }
    return read;
  }
}
