import { SLICE_ROLES, type SliceRole } from '@prov/contracts';
import type { EventRef } from './event-ref';

/** Code-unit order, the order the store sorts strings in (locale-free, so every process agrees). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Producer-supplied timestamps may differ in offset and precision, so they
 * are compared as instants; the text breaks ties so the order stays total.
 */
export function compareInstants(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b) || compareText(a, b);
}

/**
 * Facts of one subject listed in trusted time: `recordedAt` (always
 * `toISOString()` form, so text order is time order), then the event id.
 */
export function byRecordedAt(a: { event: EventRef }, b: { event: EventRef }): number {
  return compareText(a.event.recordedAt, b.event.recordedAt) || compareText(a.event.eventId, b.event.eventId);
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareText);
}

/** Roles in the contract's order (train, validation, test), each once. */
export function sortedRoles(roles: Iterable<SliceRole>): SliceRole[] {
  const present = new Set(roles);
  return SLICE_ROLES.filter((role) => present.has(role));
}
