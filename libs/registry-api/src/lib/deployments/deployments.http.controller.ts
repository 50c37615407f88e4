import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { deploymentId, ID_PATTERNS, NAME_PATTERN } from '@prov/contracts';
import {
  answerPublished,
  ApiPathParam,
  ApiRecords,
  CurrentPrincipal,
  InvalidRequestError,
  plain,
  RequireRoles,
} from '@prov/http-service';
import { KnownRecords, ProvenancePublisher, UnknownRecordError, UnknownReferenceError } from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { CreateDeploymentRequest } from './create-deployment.request';
import { ReviseDeploymentRequest } from './revise-deployment.request';

@ApiTags('deployments')
@Controller('v1/deployments')
@RequireRoles('model-engineer')
export class DeploymentsHttpController {
  constructor(
    private readonly publisher: ProvenancePublisher,
    private readonly known: KnownRecords,
  ) {}

  @ApiRecords('The deployment')
  @Post()
  async create(
    @Body() body: CreateDeploymentRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const id = deploymentId(body.name);
    const deployment = plain(body);
    const missing = await this.known.missing([
      {
        path: 'modelVersionId',
        type: 'model.version.registered',
        subject: deployment.modelVersionId,
        what: 'model version',
      },
    ]);
    if (missing.length > 0) throw new UnknownReferenceError(missing);
    const published = await this.publisher.publish(
      { type: 'deployment.created', payload: { deploymentId: id, ...deployment } },
      principal,
    );
    return answerPublished(reply, id, published);
  }

  @ApiRecords('The revision')
  @ApiPathParam('name', NAME_PATTERN, "The deployment's name")
  @Post(':name/revisions')
  async revise(
    @Param('name') name: string,
    @Body() body: ReviseDeploymentRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const id = deploymentId(name);
    if (!ID_PATTERNS.deployment.test(id)) {
      throw new InvalidRequestError([
        { path: 'name', problem: "name must contain only letters, digits, '.', '_' or '-'" },
      ]);
    }
    if (!(await this.known.exists('deployment.created', id)))
      throw new UnknownRecordError(`no deployment ${id} exists`);
    const revision = plain(body);
    const missing = await this.known.missing([
      {
        path: 'modelVersionId',
        type: 'model.version.registered',
        subject: revision.modelVersionId,
        what: 'model version',
      },
    ]);
    if (missing.length > 0) throw new UnknownReferenceError(missing);
    const published = await this.publisher.publish(
      { type: 'deployment.revised', payload: { deploymentId: id, ...revision } },
      principal,
    );
    return answerPublished(reply, id, published);
  }
}
