import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { evaluationId as toEvaluationId } from '@prov/contracts';
import { answerPublished, ApiRecords, CurrentPrincipal, plain, RequireRoles } from '@prov/http-service';
import { KnownRecords, ProvenancePublisher, UnknownReferenceError, uuidFromIdempotencyKey } from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { RecordEvaluationRequest } from './record-evaluation.request';

@ApiTags('evaluations')
@Controller('v1/evaluations')
@RequireRoles('model-engineer')
export class EvaluationsHttpController {
  constructor(
    private readonly publisher: ProvenancePublisher,
    private readonly known: KnownRecords,
  ) {}

  @ApiRecords('The evaluation')
  @Post()
  async record(
    @Body() body: RecordEvaluationRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { evaluationId: requested, ...evaluation } = plain(body);
    const id =
      requested ??
      toEvaluationId(idempotencyKey ? uuidFromIdempotencyKey(principal.id, 'evaluation', idempotencyKey) : uuidv7());
    const missing = await this.known.missing([
      {
        path: 'modelVersionId',
        type: 'model.version.registered',
        subject: evaluation.modelVersionId,
        what: 'model version',
      },
      { path: 'sliceId', type: 'dataset.slice.defined', subject: evaluation.sliceId, what: 'slice' },
    ]);
    if (missing.length > 0) throw new UnknownReferenceError(missing);
    const published = await this.publisher.publish(
      { type: 'evaluation.recorded', payload: { evaluationId: id, ...evaluation } },
      principal,
    );
    return answerPublished(reply, id, published);
  }
}
