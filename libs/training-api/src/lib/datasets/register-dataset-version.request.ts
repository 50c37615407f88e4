import { OmitType } from '@nestjs/swagger';
import { DatasetVersionRegisteredV1, IsEntityId } from '@prov/contracts';
import { IsOptional } from 'class-validator';

/** POST /v1/datasets/{datasetId}/versions: the version id is computed from the manifest. */
export class RegisterDatasetVersionRequest extends OmitType(DatasetVersionRegisteredV1, [
  'datasetVersionId',
  'datasetId',
] as const) {
  /** Optional: the id the client computed; refused when it differs from the manifest's. */
  @IsOptional() @IsEntityId('datasetVersion') id?: string;
}
