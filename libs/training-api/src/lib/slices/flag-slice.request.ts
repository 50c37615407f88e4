import { OmitType } from '@nestjs/swagger';
import { DataSliceFlaggedV1 } from '@prov/contracts';

/** POST /v1/slices/{sliceId}/flag. */
export class FlagSliceRequest extends OmitType(DataSliceFlaggedV1, ['sliceId'] as const) {}
