export { OpenLineageSchemaValidator } from './lib/openlineage/openlineage-schema.validator';
export type {
  OpenLineageDataset,
  OpenLineageFacets,
  OpenLineageInputDataset,
  OpenLineageOutputDataset,
  OpenLineageRunEvent,
} from './lib/openlineage/openlineage-run-event';
export { openLineageDatasetId } from './lib/openlineage/openlineage-dataset-id';
export { datasetVersionsNamedBy, mapRunEvent } from './lib/openlineage/run-event.mapping';
export type { RunEventMapping, RunEventMappingContext } from './lib/openlineage/run-event.mapping';
