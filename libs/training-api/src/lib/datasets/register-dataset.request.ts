import { OmitType } from '@nestjs/swagger';
import { DatasetRegisteredV1 } from '@prov/contracts';

/** POST /v1/datasets: the dataset id is `dataset:<namespace>/<name>`. */
export class RegisterDatasetRequest extends OmitType(DatasetRegisteredV1, ['datasetId'] as const) {}
