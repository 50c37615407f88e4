import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAnswer, NotFoundError } from '@prov/http-service';
import {
  impactOfDatasetVersion,
  impactOfSlice,
  impactPredictionPage,
  timelineOfDatasetVersion,
  timelineOfSlice,
} from '@prov/lineage-queries';
import { ActiveViews } from '../views/active-views';
import { ApiIdParam, checkedId } from '../views/entity-id';
import { PageRequest } from '../paging/page.request';
import { TimelineRequest } from './timeline.request';

@ApiTags('impact')
@Controller('v1')
export class ImpactHttpController {
  constructor(private readonly views: ActiveViews) {}

  /** The model versions and deployments a slice touched, and their predictions by model version. */
  @ApiAnswer(200, 'SliceImpact', 'The models and predictions the slice touched')
  @ApiIdParam('id', 'dataSlice')
  @Get('slices/:id/impact')
  async ofSlice(@Param('id') id: string) {
    const impact = await impactOfSlice(await this.views.current(), checkedId('id', id, 'dataSlice'));
    if (!impact) throw new NotFoundError(`no slice ${id} is recorded`);
    return impact;
  }

  /** The ids of the predictions a slice touched, a page at a time. */
  @ApiAnswer(200, 'PredictionPage', 'A page of the predictions the slice touched')
  @ApiIdParam('id', 'dataSlice')
  @Get('slices/:id/impact/predictions')
  async predictionsOfSlice(@Param('id') id: string, @Query() query: PageRequest) {
    const page = await impactPredictionPage(
      await this.views.current(),
      checkedId('id', id, 'dataSlice'),
      query.cursor,
      query.limit ?? 100,
    );
    if (!page) throw new NotFoundError(`no slice ${id} is recorded`);
    return page;
  }

  /** The predictions of the model versions a slice trained, per time bucket, by model version and in total. */
  @ApiAnswer(200, 'SliceTimeline', 'The predictions the slice touched, by time bucket')
  @ApiIdParam('id', 'dataSlice')
  @Get('slices/:id/impact/timeline')
  async timelineOfSlice(@Param('id') id: string, @Query() query: TimelineRequest) {
    const timeline = await timelineOfSlice(
      await this.views.current(),
      checkedId('id', id, 'dataSlice'),
      query.bucket ?? 'day',
    );
    if (!timeline) throw new NotFoundError(`no slice ${id} is recorded`);
    return timeline;
  }

  /** The impact of every slice of a dataset version. */
  @ApiAnswer(200, 'DatasetVersionImpact', 'The models and predictions the dataset version touched')
  @ApiIdParam('id', 'datasetVersion')
  @Get('dataset-versions/:id/impact')
  async ofDatasetVersion(@Param('id') id: string) {
    const impact = await impactOfDatasetVersion(await this.views.current(), checkedId('id', id, 'datasetVersion'));
    if (!impact) throw new NotFoundError(`no dataset version ${id} is recorded`);
    return impact;
  }

  /** The predictions per time bucket over every slice of a dataset version. */
  @ApiAnswer(200, 'DatasetVersionTimeline', 'The predictions the dataset version touched, by time bucket')
  @ApiIdParam('id', 'datasetVersion')
  @Get('dataset-versions/:id/impact/timeline')
  async timelineOfDatasetVersion(@Param('id') id: string, @Query() query: TimelineRequest) {
    const timeline = await timelineOfDatasetVersion(
      await this.views.current(),
      checkedId('id', id, 'datasetVersion'),
      query.bucket ?? 'day',
    );
    if (!timeline) throw new NotFoundError(`no dataset version ${id} is recorded`);
    return timeline;
  }
}
