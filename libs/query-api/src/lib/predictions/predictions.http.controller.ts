import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Principal, mayReadSensitive } from '@prov/auth';
import { ApiAnswer, CurrentPrincipal, NotFoundError } from '@prov/http-service';
import { traceToProv } from '@prov/interop';
import { traceOfPrediction } from '@prov/lineage-queries';
import { ActiveViews } from '../views/active-views';
import { SealedValues } from '../views/sealed-values';
import { ApiIdParam, checkedId } from '../views/entity-id';
import { TraceRequest } from './trace.request';

@ApiTags('predictions')
@Controller('v1/predictions')
export class PredictionsHttpController {
  constructor(
    private readonly views: ActiveViews,
    private readonly sealed: SealedValues,
  ) {}

  /** What produced a prediction, link by link, with what is missing and the event behind each link. */
  @ApiAnswer(200, 'PredictionTrace', 'What produced the prediction')
  @ApiIdParam('id', 'prediction')
  @Get(':id/trace')
  trace(@Param('id') id: string, @Query() query: TraceRequest, @CurrentPrincipal() principal: Principal) {
    return this.traceOf(id, query, principal);
  }

  /** The same trace as a W3C PROV-JSON document: entities, activities, agents and their relations. */
  @ApiAnswer(200, 'ProvDocument', "The prediction's trace as W3C PROV-JSON")
  @ApiIdParam('id', 'prediction')
  @Get(':id/trace.prov.json')
  async provJson(@Param('id') id: string, @Query() query: TraceRequest, @CurrentPrincipal() principal: Principal) {
    return traceToProv(await this.traceOf(id, query, principal));
  }

  private async traceOf(id: string, query: TraceRequest, principal: Principal) {
    const revealSensitive = mayReadSensitive(principal);
    const trace = await traceOfPrediction(await this.views.current(), checkedId('id', id, 'prediction'), {
      level: query.level ?? 'standard',
      revealSensitive,
    });
    if (!trace) throw new NotFoundError(`no prediction ${id} is recorded`);
    return revealSensitive ? this.sealed.open(trace) : trace;
  }
}
