import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, NotFoundError } from '@prov/http-service';
import { servingOfDeployment } from '@prov/lineage-queries';
import { ActiveViews } from '../views/active-views';
import { ApiIdParam, checkedId } from '../views/entity-id';

@ApiTags('deployments')
@Controller('v1/deployments')
export class DeploymentsHttpController {
  constructor(private readonly views: ActiveViews) {}

  /** The deployment's serving windows, the model version it serves now and the capture level its policy requires. */
  @ApiAnswer(200, 'DeploymentServing', 'Which model versions the deployment served, and when')
  @ApiIdParam('id', 'deployment')
  @Get(':id')
  async serving(@Param('id') id: string) {
    const serving = await servingOfDeployment(await this.views.current(), checkedId('id', id, 'deployment'));
    if (!serving) throw new NotFoundError(`no deployment ${id} is recorded`);
    return serving;
  }
}
