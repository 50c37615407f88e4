// The ids OpenLineage datasets and jobs get are the projections' (which fold OpenLineage runs into the graph).
export { openLineageDatasetId, openLineageJobId } from '@prov/projections';
