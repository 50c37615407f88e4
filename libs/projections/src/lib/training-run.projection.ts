import type { EventOf, RunOutcome, TrainingRunStartedV2 } from '@prov/contracts';
import type { EventRef } from './event-ref';
import { definitionWrite, edgeWrite, singleFactWrite, type NodeDocument } from './lineage-graph';
import type { ViewWrite } from './view-store.port';

export interface RunCompletion {
  status: RunOutcome;
  endedAt: string;
  metrics: Record<string, number> | null;
  event: EventRef;
}

/** Reads v2 payloads only: the projector upcasts v1 (`seed`) to v2 (`seeds`) before projecting. */
export interface TrainingRunNode extends NodeDocument<TrainingRunStartedV2> {
  completion?: RunCompletion;
}

export function trainingRunStartedWrites(event: EventOf<'training.run.started'>): ViewWrite[] {
  const { runId, pipelineId, inputs } = event.payload;
  return [
    definitionWrite(event, 'run'),
    edgeWrite(runId, 'ran', pipelineId),
    // One edge per role: a run may read the same slice for training and for validation.
    ...inputs.map((input) =>
      edgeWrite(runId, 'used', input.sliceId, {
        qualifier: input.role,
        attrs: { role: input.role, samplingFraction: input.samplingFraction ?? null },
      }),
    ),
  ];
}

export function trainingRunCompletedWrites(event: EventOf<'training.run.completed'>): ViewWrite[] {
  const { status, endedAt, metrics } = event.payload;
  return [singleFactWrite(event, 'run', 'completion', { status, endedAt, metrics: metrics ?? null })];
}
