import { EventOf, upcastEvent, validateEnvelope } from '@prov/contracts';
import type { LogRecord } from '@prov/event-log';
import { verifyEnvelope } from '@prov/integrity';
import { type DeadLetterDocument, deadLetterDocumentOf } from '@prov/projections';
import { TextDecoder } from 'node:util';
import type { TrustedKey } from '../decoding/trusted-keys';

/** What a record of the dead-letter topic folds to: the dead letter it carries, or why it is none of ours. */
export type FoldedDeadLetter =
  { kind: 'dead-letter'; letter: DeadLetterDocument } | { kind: 'not-a-dead-letter'; problem: string };

export interface DeadLetterSigners {
  /** The service that refuses messages and signs their dead letters. */
  service: string;
  keys: (keyId: string) => TrustedKey | undefined;
  requireSignatures: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const TYPE = 'deadletter.message.rejected';

/**
 * Turns a record of the dead-letter topic into the dead letter it carries,
 * as listed (see deadLetterDocumentOf). Only a letter signed by the
 * refusing service counts, as anyone who may write to the topic could put
 * other records there. Pure: the same record always folds the same way.
 */
export function foldDeadLetter(record: LogRecord, signers: DeadLetterSigners): FoldedDeadLetter {
  let raw: unknown;
  try {
    raw = JSON.parse(utf8.decode(record.value));
  } catch (error) {
    return refused(`not UTF-8 JSON: ${(error as Error).message}`);
  }
  const validation = validateEnvelope(raw);
  if (!validation.ok)
    return refused(validation.problems.map(({ path, problem }) => `${path || 'event'}: ${problem}`).join('; '));
  const envelope = validation.value;
  if (envelope.type !== TYPE) return refused(`a ${envelope.type} event, not a dead letter`);
  if (record.key !== envelope.subject) return refused(`the key ${JSON.stringify(record.key)} is not the subject`);
  const verification = verifyEnvelope(envelope, (keyId) => signers.keys(keyId)?.publicKey, {
    requireSignature: signers.requireSignatures,
  });
  if (!verification.ok) return refused(`its integrity does not verify: ${verification.reason}`);
  const signer = verification.signed ? signers.keys(envelope.integrity.keyId as string) : undefined;
  if (envelope.producer.service !== signers.service || (signer && signer.service !== signers.service))
    return refused(`published by ${envelope.producer.service}, not by ${signers.service}`);
  return {
    kind: 'dead-letter',
    letter: deadLetterDocumentOf(upcastEvent(envelope) as EventOf<typeof TYPE>),
  };
}

function refused(problem: string): FoldedDeadLetter {
  return { kind: 'not-a-dead-letter', problem };
}
