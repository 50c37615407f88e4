import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Principal } from '@prov/auth';
import { ID_PATTERNS } from '@prov/contracts';
import {
  answerPublished,
  ApiPathParam,
  ApiRecords,
  CurrentPrincipal,
  InvalidRequestError,
  plain,
  RequireRoles,
} from '@prov/http-service';
import { dataSliceId } from '@prov/integrity';
import { KnownRecords, ProvenancePublisher, UnknownRecordError, UnknownReferenceError } from '@prov/publishing';
import type { FastifyReply } from 'fastify';
import { DefineSliceRequest } from './define-slice.request';
import { FlagSliceRequest } from './flag-slice.request';

@ApiTags('slices')
@Controller('v1/slices')
@RequireRoles('data-steward')
export class SlicesHttpController {
  constructor(
    private readonly publisher: ProvenancePublisher,
    private readonly known: KnownRecords,
  ) {}

  @ApiRecords('The slice')
  @Post()
  async define(
    @Body() body: DefineSliceRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { id: clientId, ...slice } = plain(body);
    const id = dataSliceId(slice.datasetVersionId, slice.criteria);
    if (clientId !== undefined && clientId !== id) {
      throw new InvalidRequestError([
        { path: 'id', problem: `id does not match the dataset version and criteria, whose id is ${id}` },
      ]);
    }
    const missing = await this.known.missing([
      {
        path: 'datasetVersionId',
        type: 'dataset.version.registered',
        subject: slice.datasetVersionId,
        what: 'dataset version',
      },
    ]);
    if (missing.length > 0) throw new UnknownReferenceError(missing);
    const published = await this.publisher.publish(
      { type: 'dataset.slice.defined', payload: { sliceId: id, ...slice } },
      principal,
    );
    return answerPublished(reply, id, published);
  }

  @ApiRecords('The flag')
  @ApiPathParam('sliceId', ID_PATTERNS.dataSlice, 'The slice: slice:sha256:<64 hex>')
  @Post(':sliceId/flag')
  async flag(
    @Param('sliceId') sliceId: string,
    @Body() body: FlagSliceRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!ID_PATTERNS.dataSlice.test(sliceId)) {
      throw new InvalidRequestError([
        { path: 'sliceId', problem: 'sliceId must be an id of the form slice:sha256:<64 lowercase hex>' },
      ]);
    }
    if (!(await this.known.exists('dataset.slice.defined', sliceId)))
      throw new UnknownRecordError(`no slice ${sliceId} is defined`);
    const published = await this.publisher.publish(
      { type: 'dataset.slice.flagged', payload: { sliceId, ...plain(body) } },
      principal,
    );
    return answerPublished(reply, sliceId, published);
  }
}
