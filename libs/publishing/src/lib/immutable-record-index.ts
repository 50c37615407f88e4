import { EventType, isEventType } from '@prov/contracts';
import type { EventLog } from '@prov/event-log';

/**
 * Records that, once accepted, never change: registering one again with the
 * same content is a no-op, with other content a conflict. Appendable facts
 * (flags, stage changes, revisions, revocations, prediction batches) are not here.
 */
export const IMMUTABLE_RECORD_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'dataset.registered',
  'dataset.version.registered',
  'dataset.slice.defined',
  'pipeline.registered',
  'training.run.started',
  'training.run.completed',
  'evaluation.recorded',
  'model.version.registered',
  'deployment.created',
  'openlineage.run-event.received',
]);

export type RecordVerdict = 'new' | 'same' | 'different';

/**
 * Payload digests of the immutable records on the log, by type and subject.
 * Built from the log itself (the source of truth) and caught up from where it
 * stopped, so that a record another replica published is found on a second
 * look. Two replicas racing on one record can both accept it; the projector
 * keeps the first and raises an alert.
 */
export class ImmutableRecordIndex {
  private readonly digests = new Map<string, string>();
  // Next offset to read, by topic and partition.
  private readonly positions = new Map<string, bigint>();

  verdict(type: EventType, subject: string, payloadDigest: string): RecordVerdict {
    const known = this.digests.get(`${type} ${subject}`);
    return known === undefined ? 'new' : known === payloadDigest ? 'same' : 'different';
  }

  has(type: EventType, subject: string): boolean {
    return this.digests.has(`${type} ${subject}`);
  }

  remember(type: EventType, subject: string, payloadDigest: string): void {
    const key = `${type} ${subject}`;
    // The first accepted record wins, as in the projector.
    if (IMMUTABLE_RECORD_TYPES.has(type) && !this.digests.has(key)) this.digests.set(key, payloadDigest);
  }

  get size(): number {
    return this.digests.size;
  }

  /** Reads what the topics gained since the last catch-up (everything, the first time). */
  async catchUp(log: EventLog, topics: readonly string[], batchSize = 5000): Promise<void> {
    for (const topic of topics) {
      for (const { partition, earliest, latest } of await log.offsets(topic)) {
        const key = `${topic}/${partition}`;
        let offset = this.positions.get(key) ?? BigInt(earliest);
        const end = BigInt(latest);
        while (offset < end) {
          const records = await log.read(topic, partition, offset.toString(), batchSize);
          if (records.length === 0) break;
          for (const record of records) this.rememberRecord(record.value);
          offset = BigInt(records[records.length - 1].offset) + 1n;
        }
        this.positions.set(key, offset);
      }
    }
  }

  private rememberRecord(value: Buffer): void {
    let event: { type?: unknown; subject?: unknown; integrity?: { payloadDigest?: unknown } };
    try {
      event = JSON.parse(value.toString('utf8'));
    } catch {
      return; // not an event: the projector dead-letters it with the reason
    }
    const digest = event?.integrity?.payloadDigest;
    if (isEventType(event?.type) && typeof event.subject === 'string' && typeof digest === 'string') {
      this.remember(event.type, event.subject, digest);
    }
  }
}
