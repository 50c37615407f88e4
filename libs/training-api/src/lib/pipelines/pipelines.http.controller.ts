import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { pipelineId } from '@prov/contracts';
import { answerPublished, ApiRecords, CurrentPrincipal, plain, RequireRoles } from '@prov/http-service';
import { ProvenancePublisher } from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { RegisterPipelineRequest } from './register-pipeline.request';

@ApiTags('pipelines')
@Controller('v1/pipelines')
@RequireRoles('model-engineer')
export class PipelinesHttpController {
  constructor(private readonly publisher: ProvenancePublisher) {}

  @ApiRecords('The pipeline')
  @Post()
  async register(
    @Body() body: RegisterPipelineRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const id = pipelineId(body.name, body.version);
    const published = await this.publisher.publish(
      { type: 'pipeline.registered', payload: { pipelineId: id, ...plain(body) } },
      principal,
    );
    return answerPublished(reply, id, published);
  }
}
