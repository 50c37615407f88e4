import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiRefusal, NotFoundError } from '@prov/http-service';
import { compareLineages, resolveLineage } from '@prov/lineage-queries';
import { ActiveViews } from '../views/active-views';
import { checkedId } from '../views/entity-id';
import { CompareRequest } from './compare.request';

@ApiTags('compare')
@Controller('v1/compare')
export class CompareHttpController {
  constructor(private readonly views: ActiveViews) {}

  /** Whether two deployments or model versions share their data snapshot, and every difference by path. */
  @ApiAnswer(200, 'LineageComparison', 'How the lineages of the two differ')
  @ApiRefusal(404, 'No lineage is recorded for one of the two (named)')
  @Get()
  async compare(@Query() query: CompareRequest) {
    const views = await this.views.current();
    const [left, right] = await Promise.all(
      (['left', 'right'] as const).map(async (side) => {
        const id = checkedId(side, query[side], 'deployment', 'modelVersion');
        const lineage = await resolveLineage(views, id);
        if (!lineage) throw new NotFoundError(`${side}: no lineage is recorded for ${id}`);
        return lineage;
      }),
    );
    return compareLineages(left, right);
  }
}
