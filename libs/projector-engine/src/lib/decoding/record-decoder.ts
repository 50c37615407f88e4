import {
  EVENT_CATALOG,
  Topics,
  ProvenanceEvent,
  RejectionReason,
  SchemaValidator,
  ValidationProblem,
  upcastEvent,
  validateEnvelope,
} from '@prov/contracts';
import type { LogRecord } from '@prov/event-log';
import { eventDigest, verifyEnvelope } from '@prov/integrity';
import { TextDecoder } from 'node:util';
import { describingHeaders } from '@prov/publishing';
import type { TrustedKeys } from './trusted-keys';

export type DecodedRecord =
  /** `digest` is the event digest of the envelope as published (before any upcast): what replays share. */
  | { kind: 'event'; event: ProvenanceEvent; digest: string }
  | { kind: 'rejected'; reason: RejectionReason; problems: ValidationProblem[] };

export interface DecodingPolicy {
  keys: TrustedKeys;
  /** Unsigned events are refused unless this is false (a development setting). */
  requireSignatures: boolean;
  payloadValidators?: Partial<Record<ProvenanceEvent['type'], SchemaValidator>>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The topic each producer service of the platform publishes on: a service
 * emits only its own events, so a key of the training service (leaked, or a
 * service gone wrong) cannot record predictions.
 */
export const PRODUCER_TOPICS: Readonly<Record<string, string>> = {
  'training-service': Topics.training,
  'registry-service': Topics.registry,
  'inference-service': Topics.inference,
};

/**
 * Turns a log record into the event it carries, at its current schema
 * version, or says exactly why it cannot be accepted: bytes that are not
 * UTF-8 JSON, an envelope or payload off its contract, an event on another
 * type's topic or under another key, a digest that does not match, a
 * signature that does not verify, a key that does not vouch for the
 * claimed producer, a producer outside its own topic, or Kafka headers
 * that name another type or version than the envelope. Pure: the same record always decodes the same way.
 */
export function decodeRecord(record: LogRecord, policy: DecodingPolicy): DecodedRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(utf8.decode(record.value));
  } catch (error) {
    return rejected('unparseable', '', `the message is not UTF-8 JSON: ${(error as Error).message}`);
  }
  const validation = validateEnvelope(raw, { payloadValidators: policy.payloadValidators });
  if (!validation.ok) {
    // The envelope is checked before the type and version are looked up: a problem on `type` or
    // `schemaVersion` alone means a well-formed envelope of a type or version this platform lacks.
    const only = validation.problems.length === 1 ? validation.problems[0].path : undefined;
    const unknownType = only === 'type' && isWellFormedName(raw);
    const badVersion = only === 'schemaVersion' && Number.isInteger((raw as { schemaVersion?: unknown }).schemaVersion);
    const onPayload = validation.problems.every((p) => p.path.startsWith('payload'));
    const reason: RejectionReason = unknownType
      ? 'unknown-type'
      : badVersion
        ? 'unsupported-version'
        : onPayload
          ? 'invalid-payload'
          : 'invalid-envelope';
    return { kind: 'rejected', reason, problems: validation.problems.slice(0, 100) };
  }
  const envelope = validation.value;
  const topic = EVENT_CATALOG[envelope.type].topic;
  if (topic !== record.topic) {
    return rejected('invalid-envelope', 'type', `${envelope.type} events belong on ${topic}, not ${record.topic}`);
  }
  if (record.key !== envelope.subject) {
    return rejected('invalid-envelope', 'subject', `the message key ${JSON.stringify(record.key)} is not the subject`);
  }
  const header = disagreeingHeader(record, envelope);
  if (header) return rejected('invalid-envelope', `headers.${header.name}`, header.problem);

  const verification = verifyEnvelope(envelope, (keyId) => policy.keys.get(keyId)?.publicKey, {
    requireSignature: policy.requireSignatures,
  });
  if (!verification.ok) {
    if (verification.reason === 'payload-digest-mismatch') {
      return rejected(
        verification.reason,
        'integrity.payloadDigest',
        'does not match the canonical JSON of the payload',
      );
    }
    const problem = {
      'missing-signature': 'the event is not signed',
      'unknown-key': `no trusted key has the id ${JSON.stringify(envelope.integrity.keyId)}`,
      'bad-signature': 'the signature does not verify with the key it names',
    }[verification.reason];
    return rejected('bad-signature', 'integrity.signature', problem);
  }
  if (verification.signed) {
    const signer = policy.keys.get(envelope.integrity.keyId as string);
    if (signer && signer.service !== envelope.producer.service) {
      return rejected(
        'forbidden-producer',
        'producer.service',
        `the key ${signer.keyId} signs for ${signer.service}, not for ${envelope.producer.service}`,
      );
    }
  }
  const producer = envelope.producer.service;
  if (PRODUCER_TOPICS[producer] !== topic) {
    return rejected(
      'forbidden-producer',
      'producer.service',
      PRODUCER_TOPICS[producer]
        ? `${producer} publishes on ${PRODUCER_TOPICS[producer]}, not ${envelope.type} events on ${topic}`
        : `${JSON.stringify(producer)} is not a producer service of the platform`,
    );
  }
  return { kind: 'event', event: upcastEvent(envelope), digest: eventDigest(envelope) };
}

/** A header the producers set (describingHeaders) that names another type or version than the envelope; absent ones pass. */
function disagreeingHeader(
  record: LogRecord,
  envelope: { type: string; schemaVersion: number },
): { name: string; problem: string } | undefined {
  for (const [name, expected] of Object.entries(describingHeaders(envelope))) {
    const value = record.headers[name];
    if (value !== undefined && value !== expected) {
      return { name, problem: `the header says ${JSON.stringify(value)}, the envelope ${JSON.stringify(expected)}` };
    }
  }
  return undefined;
}

function rejected(reason: RejectionReason, path: string, problem: string): DecodedRecord {
  return { kind: 'rejected', reason, problems: [{ path, problem }] };
}

function isWellFormedName(raw: unknown): boolean {
  return typeof (raw as { type?: unknown }).type === 'string';
}
