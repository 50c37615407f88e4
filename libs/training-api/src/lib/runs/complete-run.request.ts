import { OmitType } from '@nestjs/swagger';
import { TrainingRunCompletedV2 } from '@prov/contracts';

/** POST /v1/runs/{runId}/complete. */
export class CompleteRunRequest extends OmitType(TrainingRunCompletedV2, ['runId'] as const) {}
