import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Principal, mayReadSensitive } from '@prov/auth';
import { CurrentPrincipal, NotFoundError } from '@prov/http-service';
import { modelCompleteness, modelLineageOf } from '@prov/lineage-queries';
import { ActiveViews } from '../views/active-views';
import { checkedId } from '../views/entity-id';
import { CompletenessRequest } from './completeness.request';

@ApiTags('models')
@Controller('v1/models')
export class ModelsHttpController {
  constructor(private readonly views: ActiveViews) {}

  /** A model version's whole upstream closure: run, pipeline, slices, dataset versions, evaluations, stages. */
  @Get(':modelVersionId/lineage')
  async lineage(@Param('modelVersionId') id: string, @CurrentPrincipal() principal: Principal) {
    const lineage = await modelLineageOf(await this.views.current(), checkedId('modelVersionId', id, 'modelVersion'), {
      revealSensitive: mayReadSensitive(principal),
    });
    if (!lineage) throw new NotFoundError(`no model version ${id} is registered`);
    return lineage;
  }

  /** What the capture level needs that the model version's lineage lacks. */
  @Get(':modelVersionId/completeness')
  async completeness(@Param('modelVersionId') id: string, @Query() query: CompletenessRequest) {
    const completeness = await modelCompleteness(
      await this.views.current(),
      checkedId('modelVersionId', id, 'modelVersion'),
      query.level ?? 'standard',
    );
    if (!completeness) throw new NotFoundError(`no model version ${id} is registered`);
    return completeness;
  }
}
