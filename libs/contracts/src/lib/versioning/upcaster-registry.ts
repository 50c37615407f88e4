import type { EventEnvelope } from '../envelope/event-envelope';
import { EVENT_CATALOG, EventType } from '../catalog/event-catalog';
import type { ProvenanceEvent } from '../catalog/provenance-event';

/** Turns the payload of `type` at `fromVersion` into the payload at `fromVersion + 1`. */
export interface Upcaster {
  type: EventType;
  fromVersion: number;
  upcast(payload: Record<string, unknown>): Record<string, unknown>;
}

export class MissingUpcasterError extends Error {
  readonly retriable = false;
  constructor(
    readonly type: string,
    readonly fromVersion: number,
  ) {
    super(`no upcaster from ${type} v${fromVersion} to v${fromVersion + 1}`);
    this.name = 'MissingUpcasterError';
  }
}

/**
 * Published event shapes never change; old versions are read by chaining
 * one-step upcasters up to the type's current version. Payloads are
 * replaced, never mutated: the published payload stays what its digest covers.
 */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Upcaster>();

  register(upcaster: Upcaster): this {
    const key = `${upcaster.type}@${upcaster.fromVersion}`;
    if (this.steps.has(key)) throw new Error(`upcaster ${key} is registered twice`);
    this.steps.set(key, upcaster);
    return this;
  }

  /** Every accepted old version of every type can reach the current one. */
  missingSteps(): Array<{ type: EventType; fromVersion: number }> {
    const missing: Array<{ type: EventType; fromVersion: number }> = [];
    for (const definition of Object.values(EVENT_CATALOG)) {
      for (const version of Object.keys(definition.versions).map(Number)) {
        if (version < definition.currentVersion && !this.steps.has(`${definition.type}@${version}`)) {
          missing.push({ type: definition.type, fromVersion: version });
        }
      }
    }
    return missing;
  }

  upcast(event: EventEnvelope<EventType>): ProvenanceEvent {
    const current = EVENT_CATALOG[event.type].currentVersion;
    if (event.schemaVersion >= current) return event as ProvenanceEvent;
    let payload = event.payload as Record<string, unknown>;
    for (let version = event.schemaVersion; version < current; version++) {
      const step = this.steps.get(`${event.type}@${version}`);
      if (!step) throw new MissingUpcasterError(event.type, version);
      payload = step.upcast(payload);
    }
    return { ...event, schemaVersion: current, payload, upcastFrom: event.schemaVersion } as unknown as ProvenanceEvent;
  }
}
