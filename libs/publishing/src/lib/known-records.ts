import type { EventType } from '@prov/contracts';
import type { EventLog } from '@prov/event-log';
import type { ImmutableRecordIndex } from './immutable-record-index';

/**
 * Whether a referenced record (a dataset, a slice, a run...) is on the log.
 * On a miss it catches up with the log once, so a record another replica
 * accepted a moment ago is still found.
 */
export class KnownRecords {
  constructor(
    private readonly log: EventLog,
    private readonly records: ImmutableRecordIndex,
    private readonly topics: string[],
  ) {}

  async exists(type: EventType, subject: string): Promise<boolean> {
    if (this.records.has(type, subject)) return true;
    await this.records.catchUp(this.log, this.topics);
    return this.records.has(type, subject);
  }

  /** The paths (of the request) whose referenced record is unknown. */
  async missing(references: Array<{ path: string; type: EventType; subject: string; what: string }>) {
    const missing = [];
    for (const reference of references) {
      if (!(await this.exists(reference.type, reference.subject))) {
        missing.push({ path: reference.path, problem: `no ${reference.what} ${reference.subject} is registered` });
      }
    }
    return missing;
  }
}
