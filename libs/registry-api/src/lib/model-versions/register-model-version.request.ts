import { OmitType } from '@nestjs/swagger';
import { ModelVersionRegisteredV1 } from '@prov/contracts';

/** POST /v1/models/{name}/versions: the model version id is `model:<name>@<version>`. */
export class RegisterModelVersionRequest extends OmitType(ModelVersionRegisteredV1, [
  'modelVersionId',
  'name',
] as const) {}
