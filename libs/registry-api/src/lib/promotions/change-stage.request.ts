import { OmitType } from '@nestjs/swagger';
import { ModelStageChangedV1 } from '@prov/contracts';

/**
 * POST /v1/models/{name}/versions/{version}/stage. `approvedBy`, when
 * given, must be the caller: an approval is given by whoever asks for it,
 * which is what separation of duties is checked on.
 */
export class ChangeStageRequest extends OmitType(ModelStageChangedV1, ['modelVersionId'] as const) {}
