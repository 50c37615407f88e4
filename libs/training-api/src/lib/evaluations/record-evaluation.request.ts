import { OmitType } from '@nestjs/swagger';
import { EvaluationRecordedV1, IsEntityId } from '@prov/contracts';
import { IsOptional } from 'class-validator';

/** POST /v1/evaluations. Without `evaluationId`, the service names it (from the Idempotency-Key when given). */
export class RecordEvaluationRequest extends OmitType(EvaluationRecordedV1, ['evaluationId'] as const) {
  @IsOptional() @IsEntityId('evaluation') evaluationId?: string;
}
