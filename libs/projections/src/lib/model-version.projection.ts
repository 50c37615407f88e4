import type { EventOf, ModelStage, ModelVersionRegisteredV1, PolicyFailure } from '@prov/contracts';
import type { EventRef } from './event-ref';
import { definitionWrite, edgeWrite, keyedFactWrite, type NodeDocument } from './lineage-graph';
import type { ViewWrite } from './view-store.port';

/** A stage change, a passed promotion or a refused one, as one history entry. */
export interface ModelDecision {
  type: 'model.stage.changed' | 'model.promoted' | 'model.promotion.rejected';
  stage: ModelStage;
  /** Who asked for the stage change, by the API key that recorded it: an approver, or who tried and was refused. */
  requestedBy: string;
  approvedBy: string | null;
  policyDigest: string | null;
  failures: PolicyFailure[];
  event: EventRef;
}

export interface ModelRevocation {
  reason: string;
  event: EventRef;
}

export interface ModelVersionNode extends NodeDocument<ModelVersionRegisteredV1> {
  decisions?: Record<string, ModelDecision>;
  revocations?: Record<string, ModelRevocation>;
}

export function modelVersionRegisteredWrites(event: EventOf<'model.version.registered'>): ViewWrite[] {
  const { modelVersionId, runId } = event.payload;
  return [definitionWrite(event, 'model-version'), edgeWrite(modelVersionId, 'trained-by', runId)];
}

export function modelDecisionWrites(
  event: EventOf<'model.stage.changed'> | EventOf<'model.promoted'> | EventOf<'model.promotion.rejected'>,
): ViewWrite[] {
  const decision: Omit<ModelDecision, 'event'> = {
    type: event.type,
    stage: event.payload.stage,
    requestedBy: event.producer.principal,
    approvedBy: 'approvedBy' in event.payload ? (event.payload.approvedBy ?? null) : null,
    policyDigest: 'policyDigest' in event.payload ? event.payload.policyDigest : null,
    failures: 'failures' in event.payload ? event.payload.failures : [],
  };
  return [keyedFactWrite(event, 'model-version', 'decisions', decision)];
}

export function modelVersionRevokedWrites(event: EventOf<'model.version.revoked'>): ViewWrite[] {
  return [keyedFactWrite(event, 'model-version', 'revocations', { reason: event.payload.reason })];
}
