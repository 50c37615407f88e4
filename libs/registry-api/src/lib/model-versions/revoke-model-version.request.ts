import { OmitType } from '@nestjs/swagger';
import { ModelVersionRevokedV1 } from '@prov/contracts';

/** POST /v1/models/{name}/versions/{version}/revoke. */
export class RevokeModelVersionRequest extends OmitType(ModelVersionRevokedV1, ['modelVersionId'] as const) {}
