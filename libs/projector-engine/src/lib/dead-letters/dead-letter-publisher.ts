import {
  MAX_DEAD_LETTER_BYTES,
  MessageRejectedV2,
  RejectionReason,
  Topics,
  ValidationProblem,
  deadLetterId,
} from '@prov/contracts';
import type { EventLog, LogRecord } from '@prov/event-log';
import { EnvelopeSigner, sealEvent } from '@prov/publishing';
import { v7 as uuidv7 } from 'uuid';

export interface Rejection {
  record: LogRecord;
  reason: RejectionReason;
  problems: ValidationProblem[];
}

const MAX_PROBLEM_LENGTH = 4000;

/**
 * The dead letter of a refused message: where it was, why, and its exact
 * bytes (up to MAX_DEAD_LETTER_BYTES). Its id is the message's position, so
 * a message refused again after a restart names the same dead letter.
 */
export function deadLetterOf(rejection: Rejection, rejectedBy: string): MessageRejectedV2 {
  const { record } = rejection;
  const truncated = record.value.length > MAX_DEAD_LETTER_BYTES;
  return {
    deadLetterId: deadLetterId(record.topic, record.partition, record.offset),
    source: { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key.slice(0, 4096) },
    reason: rejection.reason,
    problems: rejection.problems.slice(0, 100).map((p) => ({
      path: p.path.slice(0, 1024),
      problem: p.problem.slice(0, MAX_PROBLEM_LENGTH) || 'rejected',
    })),
    rawBase64: record.value.subarray(0, MAX_DEAD_LETTER_BYTES).toString('base64'),
    ...(truncated ? { truncated: true } : {}),
    rejectedBy,
  };
}

/**
 * Publishes dead letters, signed by the projector, and resolves once the log
 * acknowledged them. A message already dead-lettered (by an earlier run, or
 * another generation's feed) is not published again: the ids on the
 * dead-letter topic are read once, then kept up to date.
 */
export class DeadLetterPublisher {
  private known?: Promise<Set<string>>;

  constructor(
    private readonly log: EventLog,
    private readonly service: string,
    private readonly signer?: EnvelopeSigner,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async publish(rejections: readonly Rejection[]): Promise<void> {
    if (rejections.length === 0) return;
    const known = await this.knownIds();
    const recordedAt = this.clock().toISOString();
    const letters = new Map<string, MessageRejectedV2>();
    for (const rejection of rejections) {
      const letter = deadLetterOf(rejection, this.service);
      if (!known.has(letter.deadLetterId)) letters.set(letter.deadLetterId, letter);
    }
    if (letters.size === 0) return;
    const messages = [...letters.values()].map((payload) => {
      const event = sealEvent(
        { type: 'deadletter.message.rejected', payload },
        { eventId: uuidv7(), recordedAt, service: this.service, principal: this.service, signer: this.signer },
      );
      return { key: event.subject, value: Buffer.from(JSON.stringify(event), 'utf8') };
    });
    await this.log.publish(Topics.deadLetter, messages);
    for (const id of letters.keys()) known.add(id);
  }

  private knownIds(): Promise<Set<string>> {
    this.known ??= this.readKnownIds().catch((error) => {
      this.known = undefined;
      throw error;
    });
    return this.known;
  }

  /** Dead letters are keyed by their id: the keys of the topic are all that is needed. */
  private async readKnownIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const { partition, earliest, latest } of await this.log.offsets(Topics.deadLetter)) {
      let offset = BigInt(earliest);
      while (offset < BigInt(latest)) {
        const records = await this.log.read(Topics.deadLetter, partition, offset.toString(), 1000);
        if (records.length === 0) break;
        for (const record of records) ids.add(record.key);
        offset = BigInt(records[records.length - 1].offset) + 1n;
      }
    }
    return ids;
  }
}
