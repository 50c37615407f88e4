import { OmitType } from '@nestjs/swagger';
import { DataSliceDefinedV1, IsEntityId } from '@prov/contracts';
import { IsOptional } from 'class-validator';

/** POST /v1/slices: the slice id is computed from the dataset version and the criteria. */
export class DefineSliceRequest extends OmitType(DataSliceDefinedV1, ['sliceId'] as const) {
  /** Optional: the id the client computed; refused when it differs. */
  @IsOptional() @IsEntityId('dataSlice') id?: string;
}
