import { OmitType } from '@nestjs/swagger';
import { IsEntityId, TrainingRunStartedV2 } from '@prov/contracts';
import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { normaliseRunId } from '../shared/run-id';

/**
 * POST /v1/runs. Without `runId`, the service names the run (from the
 * Idempotency-Key header when given, so that a retry names it the same).
 */
export class StartRunRequest extends OmitType(TrainingRunStartedV2, ['runId', 'pipelineId'] as const) {
  @IsOptional() @Transform(({ value }) => normaliseRunId(value)) @IsEntityId('trainingRun') runId?: string;
  @IsEntityId('pipeline') pipeline!: string;
}
