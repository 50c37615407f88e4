import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { EventEnvelope } from './envelope/event-envelope';
import { EventEnvelopeFields } from './envelope/event-envelope.schema';
import { EVENT_CATALOG, EventType, isEventType } from './catalog/event-catalog';
import type { ProvenanceEvent } from './catalog/provenance-event';
import { findNonJsonValue, isPlainObject } from './validation/json-value';
import { ValidationProblem, toValidationProblems } from './validation/validation-problem';
import { TIMESTAMP_PROBLEM, isRecordedTimestamp } from './validation/validators';
import { upcastEvent } from './versioning/upcasters';
import type { SchemaValidator } from './json-schema/schema-validator';

export interface EnvelopeValidationOptions {
  /**
   * Compiled validators (compileClassValidator, with base path `payload`) of
   * current payload versions on a hot path; other payloads go through class-validator.
   */
  payloadValidators?: Partial<Record<EventType, SchemaValidator>>;
}

export type ValidationOutcome<T> = { ok: true; value: T } | { ok: false; problems: ValidationProblem[] };

const STRICT = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/**
 * Validates a payload against the declared class of `type` at `schemaVersion`.
 * Unknown fields are refused: a new field is a new schema version.
 */
export function validatePayload(
  type: EventType,
  schemaVersion: number,
  payload: unknown,
  basePath = 'payload',
): ValidationProblem[] {
  const payloadClass = EVENT_CATALOG[type].versions[schemaVersion];
  if (!payloadClass) {
    const known = Object.keys(EVENT_CATALOG[type].versions).join(', ');
    return [
      {
        path: 'schemaVersion',
        problem: `schemaVersion ${schemaVersion} of ${type} is not supported (supported: ${known})`,
      },
    ];
  }
  if (!isPlainObject(payload)) return [{ path: basePath, problem: `${basePath} must be a JSON object` }];
  const nonJson = findNonJsonValue(payload, basePath);
  if (nonJson) return [nonJson];
  const instance = plainToInstance(payloadClass, payload);
  return toValidationProblems(validateSync(instance, STRICT), basePath);
}

/**
 * Validates a whole envelope as received (from Kafka, a file log or another
 * producer): the envelope fields, then the payload at its declared schema
 * version, then that the subject is the entity the payload names. The value
 * returned is the input itself (never a transformed copy), so digests
 * computed over it are over what was received.
 */
export function validateEnvelope(
  raw: unknown,
  options: EnvelopeValidationOptions = {},
): ValidationOutcome<EventEnvelope<EventType>> {
  if (!isPlainObject(raw)) return fail('', 'event must be a JSON object');
  const nonJson = findNonJsonValue(raw);
  if (nonJson) return { ok: false, problems: [nonJson] };

  // The envelope's own fields only: class-transformer would deep-copy a payload of a thousand predictions
  // that the envelope merely requires to be an object (the payload's contract checks it next).
  const fields = isPlainObject(raw['payload']) ? { ...raw, payload: {} } : raw;
  const envelopeProblems = recordedTimesForgiven(
    raw,
    toValidationProblems(validateSync(plainToInstance(EventEnvelopeFields, fields), STRICT)),
  );
  if (envelopeProblems.length > 0) return { ok: false, problems: envelopeProblems };

  const envelope = raw as unknown as EventEnvelope<EventType, Record<string, unknown>>;
  if (!isEventType(envelope.type)) return fail('type', 'type must be a known event type');
  const compiled =
    envelope.schemaVersion === EVENT_CATALOG[envelope.type].currentVersion
      ? options.payloadValidators?.[envelope.type]
      : undefined;
  const payloadProblems = compiled
    ? compiled(envelope.payload)
    : recordedTimesForgiven(raw, validatePayload(envelope.type, envelope.schemaVersion, envelope.payload));
  if (payloadProblems.length > 0) return { ok: false, problems: payloadProblems };

  const expectedSubject = subjectOf(upcastEvent(envelope as EventEnvelope<EventType>) as ProvenanceEvent);
  if (envelope.subject !== expectedSubject) {
    return fail('subject', `subject must be the entity the payload is about (${expectedSubject})`);
  }
  return { ok: true, value: envelope as EventEnvelope<EventType> };
}

/**
 * The problems but those of timestamps that were valid when events were
 * recorded (isRecordedTimestamp): an envelope is an event of the log, read
 * as it was accepted, while requests must name real calendar times.
 */
function recordedTimesForgiven(raw: Record<string, unknown>, problems: ValidationProblem[]): ValidationProblem[] {
  return problems.filter(
    ({ path, problem }) => !(problem.endsWith(TIMESTAMP_PROBLEM) && isRecordedTimestamp(valueAt(raw, path))),
  );
}

/** The value at a problem's path (`payload.inputs[0].at`) in a JSON value. */
function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const [, key, index] of path.matchAll(/(?:^|\.)([^.[\]]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key ?? Number(index)];
  }
  return value;
}

/**
 * Validates an envelope and brings it to the current schema version of its
 * type: the form projections and queries work with.
 */
export function parseEvent(raw: unknown): ValidationOutcome<ProvenanceEvent> {
  const outcome = validateEnvelope(raw);
  return outcome.ok ? { ok: true, value: upcastEvent(outcome.value) } : outcome;
}

/** The entity id an event is about, as its catalog entry defines it. */
export function subjectOf(event: ProvenanceEvent): string {
  const definition = EVENT_CATALOG[event.type] as { subjectOf(payload: unknown): string };
  return definition.subjectOf(event.payload);
}

function fail(path: string, problem: string): ValidationOutcome<never> {
  return { ok: false, problems: [{ path, problem }] };
}
