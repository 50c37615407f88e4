import { OmitType } from '@nestjs/swagger';
import { TrainingRunCompletedV1 } from '@prov/contracts';

/** POST /v1/runs/{runId}/complete. */
export class CompleteRunRequest extends OmitType(TrainingRunCompletedV1, ['runId'] as const) {}
