import type { CaptureLevel } from '@prov/contracts';
import { servingWindows, type DeploymentNode, type ServingWindow, type ViewReader } from '@prov/projections';

/** What a deployment serves (API `GET /v1/deployments/{id}`). */
export interface DeploymentServing {
  deploymentId: string;
  /** False while only its revisions, not its creation, have arrived. */
  known: boolean;
  endpoint: string | null;
  /** The capture level its declared policy requires; null without a policy. */
  captureLevel: CaptureLevel | null;
  /** The model version of the revision in force now; null before any revision. */
  modelVersionId: string | null;
  /** Every revision's serving window, in effective order. */
  windows: ServingWindow[];
}

/** A deployment's revisions and the model version it serves now; undefined for a deployment no view knows. */
export async function servingOfDeployment(
  views: ViewReader,
  deploymentId: string,
): Promise<DeploymentServing | undefined> {
  const node = (await views.get('nodes', [deploymentId])).get(deploymentId) as DeploymentNode | undefined;
  if (!node || node.kind !== 'deployment') return undefined;
  const windows = servingWindows(node);
  return {
    deploymentId,
    known: node.definition !== undefined,
    endpoint: node.definition?.endpoint ?? null,
    captureLevel: node.definition?.policy?.captureLevel ?? null,
    modelVersionId: windows.find((window) => window.to === null)?.modelVersionId ?? null,
    windows,
  };
}
