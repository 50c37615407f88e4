import type { EventOf, PipelineRegisteredV1 } from '@prov/contracts';
import { definitionWrite, type NodeDocument } from './lineage-graph';
import type { ViewWrite } from './view-store.port';

export type PipelineNode = NodeDocument<PipelineRegisteredV1>;

export function pipelineRegisteredWrites(event: EventOf<'pipeline.registered'>): ViewWrite[] {
  return [definitionWrite(event, 'pipeline')];
}
