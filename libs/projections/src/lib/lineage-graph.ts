import type { ProvenanceEvent } from '@prov/contracts';
import { eventRefOf, type EventRef } from './event-ref';
import { byRecordedAt } from './ordering';
import { UnsafeEventIdError } from './projection.errors';
import type { ViewDocument, ViewWrite } from './view-store.port';

/**
 * The general lineage graph (`nodes` and `edges`): every entity's facts on
 * its node, and the links its defining event names as edges from it. Each
 * node and each edge is written only by events of its own subject, which
 * arrive in publish order, so last-writer-wins per path is deterministic.
 */

export const NODE_KINDS = [
  'dataset',
  'dataset-version',
  'slice',
  'pipeline',
  'run',
  'evaluation',
  'model-version',
  'deployment',
  'job',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const EDGE_RELATIONS = [
  'version-of',
  'slice-of',
  'used',
  'ran',
  'trained-by',
  'evaluates',
  'evaluated-on',
  'serves',
  'generated-by',
] as const;
export type EdgeRelation = (typeof EDGE_RELATIONS)[number];

/** A payload as kept on its entity's node: the payload fields plus the event it came from. */
export type Definition<P> = P & { event: EventRef };

export interface NodeDocument<P = Record<string, unknown>> extends ViewDocument {
  kind: NodeKind;
  /** Absent while only later facts of the entity (a flag, a decision) have arrived. */
  definition?: Definition<P>;
}

export interface EdgeDocument extends ViewDocument {
  from: string;
  rel: EdgeRelation;
  to: string;
  attrs?: Record<string, unknown>;
}

/** `${from}>${rel}>${to}`, plus `>${qualifier}` when one pair may be linked twice (a slice in two roles). */
export function edgeId(from: string, rel: EdgeRelation, to: string, qualifier?: string): string {
  return qualifier === undefined ? `${from}>${rel}>${to}` : `${from}>${rel}>${to}>${qualifier}`;
}

export function edgeWrite(
  from: string,
  rel: EdgeRelation,
  to: string,
  options: { qualifier?: string; attrs?: Record<string, unknown> } = {},
): ViewWrite {
  const id = edgeId(from, rel, to, options.qualifier);
  const doc: EdgeDocument = { _id: id, from, rel, to, ...(options.attrs ? { attrs: options.attrs } : {}) };
  return { op: 'replace', view: 'edges', id, doc };
}

/** The defining event of an entity: its payload becomes the node's `definition`. */
export function definitionWrite(event: ProvenanceEvent, kind: NodeKind): ViewWrite {
  return {
    op: 'set',
    view: 'nodes',
    id: event.subject,
    fields: { kind, definition: { ...event.payload, event: eventRefOf(event) } },
  };
}

/**
 * A later fact of an entity, kept in a map under the event's id (`flags.<eventId>`):
 * setting a whole sub-object at a fixed path is idempotent, and facts of
 * different events never overwrite each other.
 */
export function keyedFactWrite(event: ProvenanceEvent, kind: NodeKind, map: string, fact: object): ViewWrite {
  return {
    op: 'set',
    view: 'nodes',
    id: event.subject,
    fields: { kind, [`${map}.${eventKey(event.eventId)}`]: { ...fact, event: eventRefOf(event) } },
  };
}

/** A fact that replaces the previous one of its kind (a run's completion). */
export function singleFactWrite(event: ProvenanceEvent, kind: NodeKind, field: string, fact: object): ViewWrite {
  return {
    op: 'set',
    view: 'nodes',
    id: event.subject,
    fields: { kind, [field]: { ...fact, event: eventRefOf(event) } },
  };
}

const EVENT_KEY = /^[A-Za-z0-9_-]+$/;

/** An event id as a key of a facts map (a field name): refused unless it is safe as one. */
export function eventKey(eventId: string): string {
  if (!EVENT_KEY.test(eventId)) throw new UnsafeEventIdError(eventId);
  return eventId;
}

/** The values of a node's keyed facts map, in trusted-time order. */
export function keyedFacts<F extends { event: EventRef }>(map: Record<string, F> | undefined): F[] {
  return Object.values(map ?? {}).sort(byRecordedAt);
}
