import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const EXAMPLES = join(__dirname, '..', '..', '..', 'schemas', 'openlineage', 'examples');

/** One of the OpenLineage spec's own examples (schemas/openlineage/examples, see SOURCE.md). */
export function specExample<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8')) as T;
}

const PRODUCER = 'https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python';

/**
 * A COMPLETE RunEvent built from the spec's facet examples: a versioned input
 * with a subset, an unversioned input, a versioned output, a parent run and job facets.
 */
export function exampleRunEvent(inputVersion: string): Record<string, unknown> {
  return {
    eventType: 'COMPLETE',
    eventTime: '2026-11-04T11:59:58.120Z',
    producer: PRODUCER,
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: '0190f1a4-8c1e-7b2a-9c3d-4e5f60718296', facets: { ...specExample('ParentRunFacet-1') } },
    job: {
      namespace: 'airflow',
      name: 'churn.prepare_features',
      facets: {
        ...specExample('JobTypeJobFacet-1'),
        ...specExample('SourceCodeLocationJobFacet-1'),
      },
    },
    inputs: [
      {
        namespace: 'crm',
        name: 'customer-events',
        facets: {
          version: {
            ...specExample<{ version: object }>('DatasetVersionDatasetFacet-1').version,
            datasetVersion: inputVersion,
          },
          ...specExample('SchemaDatasetFacet-1'),
          ...specExample('DatasourceDatasetFacet-1'),
        },
        inputFacets: { ...specExample('BaseSubsetDatasetFacet-2') },
      },
      { namespace: 'postgres://db.example.com:5432', name: 'public.orders', facets: {} },
    ],
    outputs: [
      {
        namespace: 's3://lake',
        name: 'features/churn',
        facets: { ...specExample('DatasetVersionDatasetFacet-1') },
        outputFacets: { ...specExample('OutputStatisticsOutputDatasetFacet-1') },
      },
    ],
  };
}
