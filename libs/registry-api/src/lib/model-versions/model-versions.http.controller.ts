import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { ID_PATTERNS, modelVersionId, NAME_PATTERN, VERSION_PATTERN } from '@prov/contracts';
import {
  answerPublished,
  ApiPathParam,
  ApiRecords,
  CurrentPrincipal,
  InvalidRequestError,
  plain,
  RequireRoles,
} from '@prov/http-service';
import { InvalidManifestError, artifactManifestDigest, buildManifest } from '@prov/integrity';
import { KnownRecords, ProvenancePublisher, UnknownRecordError, UnknownReferenceError } from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { RegisterModelVersionRequest } from './register-model-version.request';
import { RevokeModelVersionRequest } from './revoke-model-version.request';

@ApiTags('model versions')
@Controller('v1/models')
@RequireRoles('model-engineer')
export class ModelVersionsHttpController {
  constructor(
    private readonly publisher: ProvenancePublisher,
    private readonly known: KnownRecords,
  ) {}

  @ApiRecords('The model version')
  @ApiPathParam('name', NAME_PATTERN, "The model's name")
  @Post(':name/versions')
  async register(
    @Param('name') name: string,
    @Body() body: RegisterModelVersionRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const id = modelVersionId(name, body.version);
    if (!ID_PATTERNS.modelVersion.test(id)) {
      throw new InvalidRequestError([
        {
          path: 'name',
          problem: "name must start with a letter or digit and contain only letters, digits, '.', '_' or '-'",
        },
      ]);
    }
    const version = plain(body);
    if (version.artifact.parts) {
      // The artifact digest is the digest of its files' manifest: when the files are listed, they must agree.
      let digest: string;
      try {
        version.artifact.parts = buildManifest(version.artifact.parts);
        digest = artifactManifestDigest(version.artifact.parts);
      } catch (error) {
        if (error instanceof InvalidManifestError)
          throw new InvalidRequestError([{ path: 'artifact.parts', problem: error.message }]);
        throw error;
      }
      if (digest !== version.artifact.digest) {
        throw new InvalidRequestError([
          {
            path: 'artifact.digest',
            problem: `artifact.digest does not match the listed parts, whose manifest digest is ${digest}`,
          },
        ]);
      }
    }
    const missing = await this.known.missing([
      { path: 'runId', type: 'training.run.started', subject: version.runId, what: 'training run' },
    ]);
    if (missing.length > 0) throw new UnknownReferenceError(missing);
    const published = await this.publisher.publish(
      { type: 'model.version.registered', payload: { modelVersionId: id, name, ...version } },
      principal,
    );
    return answerPublished(reply, id, published);
  }

  @ApiRecords('The revocation')
  @ApiPathParam('name', NAME_PATTERN, "The model's name")
  @ApiPathParam('version', VERSION_PATTERN, 'The version')
  @Post(':name/versions/:version/revoke')
  async revoke(
    @Param('name') name: string,
    @Param('version') version: string,
    @Body() body: RevokeModelVersionRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const id = modelVersionId(name, version);
    if (!(await this.known.exists('model.version.registered', id)))
      throw new UnknownRecordError(`no model version ${id} is registered`);
    const published = await this.publisher.publish(
      { type: 'model.version.revoked', payload: { modelVersionId: id, ...plain(body) } },
      principal,
    );
    return answerPublished(reply, id, published);
  }
}
