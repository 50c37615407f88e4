import type { ModelLineageDocument, ViewReader } from '@prov/projections';
import { redactSensitive } from './redaction';

export interface ModelLineageOptions {
  /** Sensitive values as they are (auditors), or as their digests. */
  revealSensitive: boolean;
}

/**
 * A model version's whole upstream closure, one point read; undefined when
 * no model version of that id is registered. Sensitive values (slice
 * filters, dataset owners) are replaced by their digests unless revealed.
 */
export async function modelLineageOf(
  views: ViewReader,
  modelVersionId: string,
  { revealSensitive }: ModelLineageOptions,
): Promise<ModelLineageDocument | undefined> {
  const lineage = (await views.get('model_lineage', [modelVersionId])).get(modelVersionId) as
    ModelLineageDocument | undefined;
  if (!lineage || revealSensitive) return lineage;
  return {
    ...lineage,
    slices: lineage.slices.map((slice) => redactSensitive('dataset.slice.defined', slice)),
    datasetVersions: lineage.datasetVersions.map((version) => redactSensitive('dataset.version.registered', version)),
    datasets: lineage.datasets.map((dataset) => redactSensitive('dataset.registered', dataset)),
  };
}

export interface ModelCompleteness {
  modelVersionId: string;
  level: 'standard' | 'full';
  complete: boolean;
  /** Paths of what the level needs and the lineage lacks, e.g. `run.seeds`, `slices[<id>]`. */
  missing: string[];
}

/** How complete a model version's lineage is at a capture level; undefined when it is not registered. */
export async function modelCompleteness(
  views: ViewReader,
  modelVersionId: string,
  level: 'standard' | 'full',
): Promise<ModelCompleteness | undefined> {
  const lineage = (await views.get('model_lineage', [modelVersionId])).get(modelVersionId) as
    ModelLineageDocument | undefined;
  if (!lineage) return undefined;
  const { complete, missing } = lineage.completeness[level];
  return { modelVersionId, level, complete, missing };
}
