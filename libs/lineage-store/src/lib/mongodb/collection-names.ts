import { VIEW_NAMES, ViewName } from '@prov/projections';

/** Generation info documents and the one `_id: 'active'` pointer. */
export const GENERATIONS_COLLECTION = 'generations';
export const OFFSETS_COLLECTION = 'projector_offsets';
/** Per generation and view, the count of `apply` calls that changed it (see ViewGeneration.revisions). */
export const REVISIONS_COLLECTION = 'view_revisions';
export const ACTIVE_POINTER_ID = 'active';

/** One collection per generation and view (generation names are safe in collection names). */
export function viewCollectionName(generation: string, view: ViewName): string {
  return `v_${generation}_${view}`;
}

export function viewCollectionNames(generation: string): string[] {
  return VIEW_NAMES.map((view) => viewCollectionName(generation, view));
}

/** Info ids carry a prefix so that a generation named `active` cannot collide with the pointer. */
export function generationInfoId(generation: string): string {
  return `generation:${generation}`;
}

export function revisionId(generation: string, view: ViewName): string {
  return `${generation}|${view}`;
}

/** Unambiguous: generation names hold no `|`, and the partition is last. */
export function offsetId(generation: string, topic: string, partition: number): string {
  return `${generation}|${topic}|${partition}`;
}
