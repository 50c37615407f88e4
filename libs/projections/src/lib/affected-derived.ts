import type { ProvenanceEvent } from '@prov/contracts';
import type { EdgeRelation } from './lineage-graph';
import { edgesInto, edgesOutOf } from './lineage-graph.reader';
import type { ViewReader } from './view-store.port';

export interface ServedBatch {
  recordedAt: string;
  artifactDigest: string;
}

/** The derived documents a batch of events may have changed. */
export interface AffectedDerived {
  /** Model versions whose upstream closure may differ: `model_lineage` and the lineage alerts. */
  modelVersionIds: Set<string>;
  /** Model versions whose served predictions may raise or clear prediction alerts, whatever was served. */
  predictionAlertModelVersionIds: Set<string>;
  /**
   * Per model version, the batches of predictions this round served: their
   * prediction alerts change only where one of these meets an alert's
   * condition (see `servedBatchesMayRaise`).
   */
  servedBatches: Map<string, ServedBatch[]>;
  /** Slices whose `slice_impact` may differ. */
  sliceIds: Set<string>;
}

/**
 * Phase 2, after the batch's facts are applied: walks the reverse edges from
 * every entity an event changed down to the model versions and slices whose
 * derived documents read it. Because the facts are already stored, an entity
 * whose link arrives later is reached from the later event's side instead.
 * Predictions only reach alerts: the lineage of a model does not depend on them.
 */
export async function affectedDerived(events: readonly ProvenanceEvent[], views: ViewReader): Promise<AffectedDerived> {
  const changed = {
    datasets: new Set<string>(),
    datasetVersions: new Set<string>(),
    slices: new Set<string>(),
    pipelines: new Set<string>(),
    runs: new Set<string>(),
    runsStarted: new Set<string>(),
    models: new Set<string>(),
    modelsRegistered: new Set<string>(),
    evaluations: new Set<string>(),
    deployments: new Set<string>(),
  };
  const predictionAlertModelVersionIds = new Set<string>();
  const servedBatches = new Map<string, ServedBatch[]>();
  for (const event of events) {
    switch (event.type) {
      case 'dataset.registered':
        changed.datasets.add(event.subject);
        break;
      case 'dataset.version.registered':
        changed.datasetVersions.add(event.subject);
        break;
      case 'dataset.slice.defined':
      case 'dataset.slice.flagged':
        changed.slices.add(event.subject);
        break;
      case 'pipeline.registered':
        changed.pipelines.add(event.subject);
        break;
      case 'training.run.started':
        changed.runsStarted.add(event.subject);
        changed.runs.add(event.subject);
        break;
      case 'training.run.completed':
        changed.runs.add(event.subject);
        break;
      case 'evaluation.recorded':
        changed.evaluations.add(event.subject);
        break;
      case 'model.version.registered':
        changed.modelsRegistered.add(event.subject);
        changed.models.add(event.subject);
        break;
      case 'model.stage.changed':
      case 'model.promoted':
      case 'model.promotion.rejected':
      case 'model.version.revoked':
        changed.models.add(event.subject);
        break;
      case 'deployment.created':
      case 'deployment.revised':
        changed.deployments.add(event.subject);
        break;
      case 'prediction.batch.recorded': {
        const served = servedBatches.get(event.payload.modelVersionId) ?? [];
        served.push({ recordedAt: event.recordedAt, artifactDigest: event.payload.artifactDigest });
        servedBatches.set(event.payload.modelVersionId, served);
        break;
      }
      case 'deadletter.message.rejected':
      case 'audit.checkpoint.signed':
      case 'openlineage.run-event.received':
      case 'privacy.subject.erased':
        break;
    }
  }
  const edges = {
    into: async (targets: ReadonlySet<string>, rel: EdgeRelation) =>
      new Set((await edgesInto(views, targets, rel)).map((edge) => edge.from)),
    outOf: async (sources: ReadonlySet<string>, rel: EdgeRelation) =>
      new Set((await edgesOutOf(views, sources, rel)).map((edge) => edge.to)),
  };

  // Upstream changes, down to the models that read them.
  const datasetVersions = union(changed.datasetVersions, await edges.into(changed.datasets, 'version-of'));
  const lineageSlices = union(changed.slices, await edges.into(datasetVersions, 'slice-of'));
  const runs = union(changed.runs, await edges.into(lineageSlices, 'used'), await edges.into(changed.pipelines, 'ran'));
  // Outgoing edges include links an earlier definition named: those models and slices must drop them.
  const servedModels = await edges.outOf(changed.deployments, 'serves');
  const modelVersionIds = union(
    changed.models,
    await edges.into(runs, 'trained-by'),
    await edges.outOf(changed.evaluations, 'evaluates'),
    servedModels,
  );
  for (const id of changed.models) predictionAlertModelVersionIds.add(id);

  // Slice impact reads slices, the runs that used them, their models and the deployments serving those.
  const impactRuns = union(
    changed.runsStarted,
    await edges.outOf(union(changed.modelsRegistered, servedModels), 'trained-by'),
  );
  const sliceIds = union(changed.slices, await edges.outOf(impactRuns, 'used'));

  return { modelVersionIds, predictionAlertModelVersionIds, servedBatches, sliceIds };
}

function union(...sets: ReadonlySet<string>[]): Set<string> {
  const all = new Set<string>();
  for (const set of sets) for (const value of set) all.add(value);
  return all;
}
