import { OmitType } from '@nestjs/swagger';
import { DeploymentCreatedV1 } from '@prov/contracts';

/** POST /v1/deployments: the deployment id is `deployment:<name>`. */
export class CreateDeploymentRequest extends OmitType(DeploymentCreatedV1, ['deploymentId'] as const) {}
