import type { EvaluationRecordedV1, EventOf } from '@prov/contracts';
import { definitionWrite, edgeWrite, type NodeDocument } from './lineage-graph';
import type { ViewWrite } from './view-store.port';

export type EvaluationNode = NodeDocument<EvaluationRecordedV1>;

export function evaluationRecordedWrites(event: EventOf<'evaluation.recorded'>): ViewWrite[] {
  const { evaluationId, modelVersionId, sliceId } = event.payload;
  return [
    definitionWrite(event, 'evaluation'),
    edgeWrite(evaluationId, 'evaluates', modelVersionId),
    edgeWrite(evaluationId, 'evaluated-on', sliceId),
  ];
}
