import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EntityKind } from '@prov/contracts';
import { ApiAnswer, NotFoundError } from '@prov/http-service';
import { lineageGraph } from '@prov/lineage-queries';
import { ActiveViews } from '../views/active-views';
import { ApiIdParam, checkedId } from '../views/entity-id';
import { LineageGraphRequest } from './lineage-graph.request';

/** What a lineage graph is drawn around: every entity of the graph, an OpenLineage job among them. */
const NODE_KINDS: EntityKind[] = [
  'dataset',
  'datasetVersion',
  'dataSlice',
  'pipeline',
  'trainingRun',
  'evaluation',
  'modelVersion',
  'deployment',
  'job',
];

@ApiTags('lineage')
@Controller('v1/lineage')
export class LineageHttpController {
  constructor(private readonly views: ActiveViews) {}

  /** The lineage graph around a node, as nodes and edges ready for a graph view. */
  @ApiAnswer(200, 'LineageGraph', 'The lineage graph around the node')
  @ApiIdParam('nodeId', ...NODE_KINDS)
  @Get(':nodeId')
  async graph(@Param('nodeId') nodeId: string, @Query() query: LineageGraphRequest) {
    const id = checkedId('nodeId', nodeId, ...NODE_KINDS);
    const graph = await lineageGraph(await this.views.current(), id, {
      direction: query.direction ?? 'both',
      depth: query.depth ?? 3,
      maxNodes: query.maxNodes ?? 500,
    });
    if (!graph) throw new NotFoundError(`no lineage node ${nodeId} is recorded`);
    return graph;
  }
}
