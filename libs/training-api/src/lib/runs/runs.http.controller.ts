import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { ID_PATTERNS, trainingRunId } from '@prov/contracts';
import {
  answerPublished,
  ApiPathParam,
  ApiRecords,
  CurrentPrincipal,
  InvalidRequestError,
  plain,
  RequireRoles,
} from '@prov/http-service';
import {
  KnownRecords,
  ProvenancePublisher,
  UnknownRecordError,
  UnknownReferenceError,
  uuidFromIdempotencyKey,
} from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { normaliseRunId } from '../shared/run-id';
import { CompleteRunRequest } from './complete-run.request';
import { StartRunRequest } from './start-run.request';

/** A run id in a path: `run:<uuid>`, or the bare UUID. */
const RUN_PATH_PATTERN = new RegExp(ID_PATTERNS.trainingRun.source.replace('^run:', '^(?:run:)?'));
@ApiTags('runs')
@Controller('v1/runs')
@RequireRoles('model-engineer')
export class RunsHttpController {
  constructor(
    private readonly publisher: ProvenancePublisher,
    private readonly known: KnownRecords,
  ) {}

  @ApiRecords('The training run')
  @Post()
  async start(
    @Body() body: StartRunRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { runId: requested, pipeline, ...run } = plain(body);
    const runId =
      requested ??
      trainingRunId(idempotencyKey ? uuidFromIdempotencyKey(principal.id, 'run', idempotencyKey) : uuidv7());
    const missing = await this.known.missing([
      { path: 'pipeline', type: 'pipeline.registered', subject: pipeline, what: 'pipeline' },
      ...run.inputs.map((input, i) => ({
        path: `inputs[${i}].sliceId`,
        type: 'dataset.slice.defined' as const,
        subject: input.sliceId,
        what: 'slice',
      })),
    ]);
    if (missing.length > 0) throw new UnknownReferenceError(missing);
    const published = await this.publisher.publish(
      {
        type: 'training.run.started',
        payload: { runId, pipelineId: pipeline, ...run, owner: run.owner ?? principal.id },
      },
      principal,
    );
    return answerPublished(reply, runId, published);
  }

  @ApiRecords("The run's completion")
  @ApiPathParam('runId', RUN_PATH_PATTERN, 'The run: run:<uuid>, or the bare UUID')
  @Post(':runId/complete')
  async complete(
    @Param('runId') rawRunId: string,
    @Body() body: CompleteRunRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const runId = normaliseRunId(rawRunId);
    if (typeof runId !== 'string' || !ID_PATTERNS.trainingRun.test(runId)) {
      throw new InvalidRequestError([
        { path: 'runId', problem: 'runId must be an id of the form run:<uuid> (or a bare UUID)' },
      ]);
    }
    if (!(await this.known.exists('training.run.started', runId)))
      throw new UnknownRecordError(`no run ${runId} was started`);
    const published = await this.publisher.publish(
      { type: 'training.run.completed', payload: { runId, ...plain(body) } },
      principal,
    );
    return answerPublished(reply, runId, published);
  }
}
