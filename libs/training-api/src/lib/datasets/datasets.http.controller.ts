import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { datasetId as toDatasetId, ID_PATTERNS, NAME_PATTERN } from '@prov/contracts';
import {
  answerPublished,
  ApiPathParam,
  ApiRecords,
  CurrentPrincipal,
  InvalidRequestError,
  plain,
  RequireRoles,
} from '@prov/http-service';
import { InvalidManifestError, buildManifest, datasetVersionId } from '@prov/integrity';
import { KnownRecords, ProvenancePublisher, UnknownRecordError } from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { RegisterDatasetVersionRequest } from './register-dataset-version.request';
import { RegisterDatasetRequest } from './register-dataset.request';

/** A dataset id in a path: `dataset:<namespace>/<name>`, or `<namespace>/<name>`. */
const DATASET_PATH_PATTERN = new RegExp(ID_PATTERNS.dataset.source.replace('^dataset:', '^(?:dataset:)?'));
@ApiTags('datasets')
@Controller('v1/datasets')
@RequireRoles('data-steward')
export class DatasetsHttpController {
  constructor(
    private readonly publisher: ProvenancePublisher,
    private readonly known: KnownRecords,
  ) {}

  @ApiRecords('The dataset')
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
  @ApiRecords('The dataset version')
  @ApiPathParam(
    'datasetId',
    DATASET_PATH_PATTERN,
    'The dataset: dataset:<namespace>/<name>, or <namespace>/<name>, URL-encoded',
  )
  @Post(':datasetId/versions')
  registerVersion(
    @Param('datasetId') datasetId: string,
    @Body() body: RegisterDatasetVersionRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.publishVersion(datasetId, body, principal, reply);
  }

  @ApiRecords('The dataset version')
  @ApiPathParam('namespace', NAME_PATTERN, "The dataset's namespace")
  @ApiPathParam('name', NAME_PATTERN, "The dataset's name")
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
