import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { ID_PATTERNS, datasetId as toDatasetId } from '@prov/contracts';
import { answerPublished, CurrentPrincipal, InvalidRequestError, plain, RequireRoles } from '@prov/http-service';
import { InvalidManifestError, buildManifest, datasetVersionId } from '@prov/integrity';
import { KnownRecords, ProvenancePublisher, UnknownRecordError } from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { RegisterDatasetVersionRequest } from './register-dataset-version.request';
import { RegisterDatasetRequest } from './register-dataset.request';

@ApiTags('datasets')
@Controller('v1/datasets')
@RequireRoles('data-steward')
export class DatasetsHttpController {
  constructor(
    private readonly publisher: ProvenancePublisher,
    private readonly known: KnownRecords,
  ) {}

  @Post()
  async register(
    @Body() body: RegisterDatasetRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const id = toDatasetId(body.namespace, body.name);
    const published = await this.publisher.publish(
      { type: 'dataset.registered', payload: { datasetId: id, ...plain(body) } },
      principal,
    );
    return answerPublished(reply, id, published);
  }

  /** The dataset id in the path, URL-encoded (`dataset:crm%2Fevents`) or as `<namespace>/<name>`. */
  @Post(':datasetId/versions')
  registerVersion(
    @Param('datasetId') datasetId: string,
    @Body() body: RegisterDatasetVersionRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.publishVersion(datasetId, body, principal, reply);
  }

  @Post(':namespace/:name/versions')
  registerVersionByName(
    @Param('namespace') namespace: string,
    @Param('name') name: string,
    @Body() body: RegisterDatasetVersionRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.publishVersion(`${namespace}/${name}`, body, principal, reply);
  }

  private async publishVersion(
    rawDatasetId: string,
    body: RegisterDatasetVersionRequest,
    principal: Principal,
    reply: FastifyReply,
  ) {
    const datasetId = rawDatasetId.startsWith('dataset:') ? rawDatasetId : `dataset:${rawDatasetId}`;
    if (!ID_PATTERNS.dataset.test(datasetId)) {
      throw new InvalidRequestError([
        { path: 'datasetId', problem: 'datasetId must be an id of the form dataset:<namespace>/<name>' },
      ]);
    }
    if (!(await this.known.exists('dataset.registered', datasetId))) {
      throw new UnknownRecordError(`no dataset ${datasetId} is registered`);
    }
    // Parts are kept in manifest order (sorted by path): the same files give the same event, whatever their listed order.
    let id: string;
    let parts: ReturnType<typeof buildManifest>;
    try {
      parts = buildManifest(body.parts);
      id = datasetVersionId(parts);
    } catch (error) {
      if (error instanceof InvalidManifestError)
        throw new InvalidRequestError([{ path: 'parts', problem: error.message }]);
      throw error;
    }
    if (body.id !== undefined && body.id !== id) {
      throw new InvalidRequestError([{ path: 'id', problem: `id does not match the manifest, whose id is ${id}` }]);
    }
    const { id: _clientId, ...version } = plain(body);
    const published = await this.publisher.publish(
      { type: 'dataset.version.registered', payload: { datasetVersionId: id, datasetId, ...version, parts } },
      principal,
    );
    return answerPublished(reply, id, published);
  }
}
