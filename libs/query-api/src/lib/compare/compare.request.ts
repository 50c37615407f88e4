import { Matches } from 'class-validator';
import { idPattern } from '../views/entity-id';

const DEPLOYMENT_OR_MODEL_VERSION = idPattern('deployment', 'modelVersion');

/** Two deployments or model versions (`deployment:<name>`, `model:<name>@<version>`). */
export class CompareRequest {
  @Matches(DEPLOYMENT_OR_MODEL_VERSION, {
    message: '$property must be an id of the form deployment:<name> or model:<name>@<version>',
  })
  left!: string;
  @Matches(DEPLOYMENT_OR_MODEL_VERSION, {
    message: '$property must be an id of the form deployment:<name> or model:<name>@<version>',
  })
  right!: string;
}
