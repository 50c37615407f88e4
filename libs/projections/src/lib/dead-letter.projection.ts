import type { EventOf, RejectionReason, ValidationProblem } from '@prov/contracts';

/**
 * A message the projector refused, as auditors list it: why, where it was,
 * and its first bytes only (a dead letter may carry up to 1 MiB of them).
 */
export interface DeadLetterDocument {
  /** `deadletter:<topic>/<partition>/<offset>`: the refused message's position. */
  deadLetterId: string;
  reason: RejectionReason;
  problems: ValidationProblem[];
  /** Where the refused message is on the event log. */
  source: { topic: string; partition: number; offset: string; key?: string };
  /** The service that refused it. */
  rejectedBy: string;
  /** When it was refused (the dead letter's recorded time, ISO 8601 UTC with milliseconds). */
  recordedAt: string;
  /** The message's first bytes (at most 256, DEAD_LETTER_HEAD_BYTES), base64. */
  messageHeadBase64: string;
  /** Whether the message is longer than its head. */
  messageTruncated: boolean;
}

/** The most bytes of a refused message a listed dead letter shows. */
export const DEAD_LETTER_HEAD_BYTES = 256;

/** The listed form of a dead letter: the whole letter but the refused message, of which only its head is kept. */
export function deadLetterDocumentOf({
  payload,
  recordedAt,
}: EventOf<'deadletter.message.rejected'>): DeadLetterDocument {
  const message = Buffer.from(payload.rawBase64, 'base64');
  return {
    deadLetterId: payload.deadLetterId,
    reason: payload.reason,
    problems: payload.problems.map(({ path, problem }) => ({ path, problem })),
    source: {
      topic: payload.source.topic,
      partition: payload.source.partition,
      offset: payload.source.offset,
      ...(payload.source.key === undefined ? {} : { key: payload.source.key }),
    },
    rejectedBy: payload.rejectedBy,
    // One spelling of each time, so that listings order by it as strings.
    recordedAt: new Date(recordedAt).toISOString(),
    messageHeadBase64: message.subarray(0, DEAD_LETTER_HEAD_BYTES).toString('base64'),
    messageTruncated: message.length > DEAD_LETTER_HEAD_BYTES || payload.truncated === true,
  };
}
