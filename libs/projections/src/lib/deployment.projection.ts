import type { DeploymentCreatedV1, EventOf } from '@prov/contracts';
import type { EventRef } from './event-ref';
import { definitionWrite, edgeWrite, keyedFactWrite, type NodeDocument } from './lineage-graph';
import type { ViewWrite } from './view-store.port';

/** From `effectiveFrom` the deployment serves `modelVersionId`, until its next revision. */
export interface DeploymentRevision {
  modelVersionId: string;
  effectiveFrom: string;
  event: EventRef;
}

export interface DeploymentNode extends NodeDocument<DeploymentCreatedV1> {
  revisions?: Record<string, DeploymentRevision>;
}

/** Creation is also the first revision, so windows are read from `revisions` alone. */
export function deploymentCreatedWrites(event: EventOf<'deployment.created'>): ViewWrite[] {
  return [definitionWrite(event, 'deployment'), ...revisionWrites(event)];
}

export function deploymentRevisedWrites(event: EventOf<'deployment.revised'>): ViewWrite[] {
  return revisionWrites(event);
}

function revisionWrites(event: EventOf<'deployment.created'> | EventOf<'deployment.revised'>): ViewWrite[] {
  const { deploymentId, modelVersionId, effectiveFrom } = event.payload;
  // Without a declared start the trusted receive time is when serving began.
  const revision = { modelVersionId, effectiveFrom: effectiveFrom ?? event.recordedAt };
  return [
    keyedFactWrite(event, 'deployment', 'revisions', revision),
    edgeWrite(deploymentId, 'serves', modelVersionId),
  ];
}
