export { OpenLineageSchemaValidator, openLineageRunEventSchemas } from './lib/openlineage/openlineage-schema.validator';
export type {
  OpenLineageDataset,
  OpenLineageFacets,
  OpenLineageInputDataset,
  OpenLineageOutputDataset,
  OpenLineageRunEvent,
} from './lib/openlineage/openlineage-run-event';
export { openLineageDatasetId } from './lib/openlineage/openlineage-dataset-id';
export { datasetVersionsNamedBy, mapRunEvent } from './lib/openlineage/run-event.mapping';
export { withoutDeepFacets } from './lib/openlineage/deep-facets';
export type { RunEventMapping, RunEventMappingContext } from './lib/openlineage/run-event.mapping';
export { modelLineageToProv, traceToProv } from './lib/prov-json/lineage.prov';
export { PROVENANCE_ID_BASE, PROVENANCE_NAMESPACE } from './lib/prov-json/prov-document';
export type { ProvAttributes, ProvDocument, ProvValue } from './lib/prov-json/prov-document';
export { ProvJsonSchemaValidator } from './lib/prov-json/prov-json-schema.validator';
export { preAuthEncoding, signDsse, verifyDsse } from './lib/in-toto/dsse';
export type { DsseEnvelope } from './lib/in-toto/dsse';
export {
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  MODEL_LINEAGE_PREDICATE_TYPE,
  attestModelLineage,
  modelLineageStatement,
} from './lib/in-toto/model-lineage.statement';
export type { InTotoStatement, ModelLineagePredicate } from './lib/in-toto/model-lineage.statement';
