import { OmitType } from '@nestjs/swagger';
import { DeploymentRevisedV1 } from '@prov/contracts';

/** POST /v1/deployments/{name}/revisions. */
export class ReviseDeploymentRequest extends OmitType(DeploymentRevisedV1, ['deploymentId'] as const) {}
