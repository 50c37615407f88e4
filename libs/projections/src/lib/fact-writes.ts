import { openLineageRunEventWrites } from './openlineage-run.projection';
import type { ProvenanceEvent } from '@prov/contracts';
import {
  datasetRegisteredWrites,
  datasetVersionRegisteredWrites,
  sliceDefinedWrites,
  sliceFlaggedWrites,
} from './dataset.projection';
import { deploymentCreatedWrites, deploymentRevisedWrites } from './deployment.projection';
import { evaluationRecordedWrites } from './evaluation.projection';
import {
  modelDecisionWrites,
  modelVersionRegisteredWrites,
  modelVersionRevokedWrites,
} from './model-version.projection';
import { pipelineRegisteredWrites } from './pipeline.projection';
import { predictionBatchRecordedWrites } from './prediction.projection';
import { trainingRunCompletedWrites, trainingRunStartedWrites } from './training-run.projection';
import type { ViewWrite } from './view-store.port';

/**
 * Phase 1: the facts one event states, from the event alone. Every write is
 * idempotent and keyed by the event's subject (or its prediction ids), so
 * redelivery changes nothing and events of different subjects commute.
 */
export function factWrites(event: ProvenanceEvent): ViewWrite[] {
  switch (event.type) {
    case 'dataset.registered':
      return datasetRegisteredWrites(event);
    case 'dataset.version.registered':
      return datasetVersionRegisteredWrites(event);
    case 'dataset.slice.defined':
      return sliceDefinedWrites(event);
    case 'dataset.slice.flagged':
      return sliceFlaggedWrites(event);
    case 'pipeline.registered':
      return pipelineRegisteredWrites(event);
    case 'training.run.started':
      return trainingRunStartedWrites(event);
    case 'training.run.completed':
      return trainingRunCompletedWrites(event);
    case 'evaluation.recorded':
      return evaluationRecordedWrites(event);
    case 'model.version.registered':
      return modelVersionRegisteredWrites(event);
    case 'model.stage.changed':
    case 'model.promoted':
    case 'model.promotion.rejected':
      return modelDecisionWrites(event);
    case 'model.version.revoked':
      return modelVersionRevokedWrites(event);
    case 'deployment.created':
      return deploymentCreatedWrites(event);
    case 'deployment.revised':
      return deploymentRevisedWrites(event);
    case 'prediction.batch.recorded':
      return predictionBatchRecordedWrites(event);
    // Platform events (dead letters, audit checkpoints) are kept by the log, not by the lineage views.
    case 'deadletter.message.rejected':
    case 'audit.checkpoint.signed':
      return [];
    // Kept verbatim by the log; the datasets and slices it maps onto arrive as events of their own.
    case 'openlineage.run-event.received':
      return openLineageRunEventWrites(event);
    // An erasure destroys keys outside the log; the views keep the sealed values, which no longer open.
    case 'privacy.subject.erased':
      return [];
  }
}
