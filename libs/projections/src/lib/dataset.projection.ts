import type {
  DataSliceDefinedV1,
  DatasetRegisteredV1,
  DatasetVersionRegisteredV1,
  EventOf,
  FlagSeverity,
} from '@prov/contracts';
import type { EventRef } from './event-ref';
import { definitionWrite, edgeWrite, keyedFactWrite, type NodeDocument } from './lineage-graph';
import type { ViewWrite } from './view-store.port';

export type DatasetNode = NodeDocument<DatasetRegisteredV1>;
/** The manifest `parts` (up to 100,000) are kept only here, never copied into derived views. */
export type DatasetVersionNode = NodeDocument<DatasetVersionRegisteredV1>;

export interface SliceFlag {
  reason: string;
  severity: FlagSeverity;
  event: EventRef;
}

export interface SliceNode extends NodeDocument<DataSliceDefinedV1> {
  flags?: Record<string, SliceFlag>;
}

export function datasetRegisteredWrites(event: EventOf<'dataset.registered'>): ViewWrite[] {
  return [definitionWrite(event, 'dataset')];
}

export function datasetVersionRegisteredWrites(event: EventOf<'dataset.version.registered'>): ViewWrite[] {
  const { datasetVersionId, datasetId } = event.payload;
  return [definitionWrite(event, 'dataset-version'), edgeWrite(datasetVersionId, 'version-of', datasetId)];
}

export function sliceDefinedWrites(event: EventOf<'dataset.slice.defined'>): ViewWrite[] {
  const { sliceId, datasetVersionId } = event.payload;
  return [definitionWrite(event, 'slice'), edgeWrite(sliceId, 'slice-of', datasetVersionId)];
}

/** A correction is one more fact of the slice; nothing it touched is edited. */
export function sliceFlaggedWrites(event: EventOf<'dataset.slice.flagged'>): ViewWrite[] {
  const { reason, severity } = event.payload;
  return [keyedFactWrite(event, 'slice', 'flags', { reason, severity })];
}
