import { EVENT_CATALOG, EventEnvelope, EventType, SchemaValidator, validatePayload } from '@prov/contracts';
import { Principal, mayPublish } from '@prov/auth';
import type { EventLog, OutgoingMessage } from '@prov/event-log';
import { v7 as uuidv7 } from 'uuid';
import { IMMUTABLE_RECORD_TYPES, ImmutableRecordIndex } from './immutable-record-index';
import {
  ContractViolationError,
  EventLogUnavailableError,
  ImmutableRecordConflictError,
  PublishForbiddenError,
} from './publishing.errors';
import { EnvelopeSigner, SealInput, sealEvent } from './seal-event';

export interface ProvenancePublisherOptions {
  service: string;
  signer?: EnvelopeSigner;
  records?: ImmutableRecordIndex;
  clock?: () => Date;
  /**
   * Compiled payload validators (compileClassValidator) for event types on a
   * hot path; other types are checked with class-validator.
   */
  payloadValidators?: Partial<Record<EventType, SchemaValidator>>;
}

export interface Published {
  event: EventEnvelope<EventType>;
  /** False when an identical immutable record was already on the log (nothing was published). */
  created: boolean;
}

/**
 * Turns what a producer service accepted into events on the log: checks that
 * the principal may publish the type, that the payload satisfies its
 * contract, seals and signs it, and resolves only once the log has
 * acknowledged. Immutable records are published once: again with the same
 * content is a no-op, with other content an ImmutableRecordConflictError.
 */
export class ProvenancePublisher {
  private readonly records: ImmutableRecordIndex;
  private readonly clock: () => Date;
  // Serialises publications of one immutable record, so two identical requests publish once.
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly log: EventLog,
    private readonly options: ProvenancePublisherOptions,
  ) {
    this.records = options.records ?? new ImmutableRecordIndex();
    this.clock = options.clock ?? (() => new Date());
  }

  /** Publishes one event (see publishAll). */
  async publish<T extends EventType>(input: SealInput<T>, principal: Principal): Promise<Published> {
    const [published] = await this.publishAll([input], principal);
    return published;
  }

  /**
   * Publishes events in order, those of one topic in one append. An event is
   * the unit of acceptance (a prediction batch is one event), so a failure
   * never leaves half an event on the log.
   */
  async publishAll(inputs: ReadonlyArray<SealInput<EventType>>, principal: Principal): Promise<Published[]> {
    for (const input of inputs) this.check(input, principal);
    const recordedAt = this.clock().toISOString();
    const events = inputs.map((input) =>
      sealEvent(input, {
        eventId: uuidv7(),
        recordedAt,
        service: this.options.service,
        principal: principal.id,
        signer: this.options.signer,
      }),
    );
    const immutable = events.filter((e) => IMMUTABLE_RECORD_TYPES.has(e.type));
    if (immutable.length === 0) return this.append(events);
    if (events.length !== 1) throw new Error('immutable records are published one per call');
    return this.publishImmutable(events[0]);
  }

  private async publishImmutable(event: EventEnvelope<EventType>): Promise<Published[]> {
    const key = `${event.type} ${event.subject}`;
    while (this.inFlight.has(key)) await this.inFlight.get(key)?.catch(() => undefined);
    const attempt = (async () => {
      switch (this.records.verdict(event.type, event.subject, event.integrity.payloadDigest)) {
        case 'same':
          return [{ event, created: false }];
        case 'different':
          throw new ImmutableRecordConflictError(
            `${event.subject} is already registered with different content (${event.type}); immutable records cannot change`,
          );
        case 'new': {
          const published = await this.append([event]);
          this.records.remember(event.type, event.subject, event.integrity.payloadDigest);
          return published;
        }
      }
    })();
    this.inFlight.set(key, attempt);
    try {
      return await attempt;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private check(input: SealInput<EventType>, principal: Principal): void {
    const definition = EVENT_CATALOG[input.type];
    if (!mayPublish(principal, definition.domain)) {
      throw new PublishForbiddenError(
        `${principal.id} (${principal.roles.join(', ')}) may not publish ${input.type} events (domain ${definition.domain})`,
      );
    }
    const compiled = this.options.payloadValidators?.[input.type];
    const problems = compiled
      ? compiled(input.payload)
      : validatePayload(input.type, definition.currentVersion, input.payload);
    if (problems.length > 0) throw new ContractViolationError(input.type, problems);
  }

  private async append(events: EventEnvelope<EventType>[]): Promise<Published[]> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const event of events) {
      const topic = EVENT_CATALOG[event.type].topic;
      const messages = byTopic.get(topic) ?? [];
      messages.push(toMessage(event));
      byTopic.set(topic, messages);
    }
    for (const [topic, messages] of byTopic) {
      try {
        await this.log.publish(topic, messages);
      } catch (error) {
        throw new EventLogUnavailableError(
          `The event log did not acknowledge ${messages.length} event(s) on ${topic}; nothing was accepted: ${(error as Error).message}`,
        );
      }
    }
    return events.map((event) => ({ event, created: true }));
  }
}

/**
 * The Kafka headers that describe an event, so that consumers can route on
 * them without parsing the value; the projector refuses a message whose
 * headers say otherwise than its envelope.
 */
export function describingHeaders(envelope: { type: string; schemaVersion: number }): Record<string, string> {
  return { 'event-type': envelope.type, 'schema-version': String(envelope.schemaVersion) };
}

export function toMessage(event: EventEnvelope<EventType>): OutgoingMessage {
  return {
    key: event.subject,
    value: Buffer.from(JSON.stringify(event), 'utf8'),
    headers: { ...describingHeaders(event), 'content-type': 'application/json' },
  };
}
