import type { JsonValue } from '@prov/contracts';

/**
 * The parts of an OpenLineage RunEvent (spec 2-0-2) the mapping reads, once
 * the event has passed the spec's JSON Schema. Facets are open maps: the spec
 * allows custom ones beside those it defines.
 */
export interface OpenLineageRunEvent {
  eventType?: string;
  eventTime: string;
  producer: string;
  schemaURL: string;
  run: { runId: string; facets?: OpenLineageFacets };
  job: { namespace: string; name: string; facets?: OpenLineageFacets };
  inputs?: OpenLineageInputDataset[];
  outputs?: OpenLineageOutputDataset[];
}

export type OpenLineageFacets = { [facet: string]: JsonValue };

export interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets?: OpenLineageFacets;
}

export interface OpenLineageInputDataset extends OpenLineageDataset {
  inputFacets?: OpenLineageFacets;
}

export interface OpenLineageOutputDataset extends OpenLineageDataset {
  outputFacets?: OpenLineageFacets;
}
