import type { EventOf, RunOutcome, TrainingRunStartedV2 } from '@prov/contracts';
import type { EventRef } from './event-ref';
import { definitionWrite, edgeWrite, singleFactWrite, type NodeDocument } from './lineage-graph';
import type { ViewWrite } from './view-store.port';

export interface RunCompletion {
  status: RunOutcome;
  endedAt: string;
  metrics: Record<string, number> | null;
  /** Seeds the run reported as it ended (v2), as reported; null when it reported none. */
  seeds: Record<string, number> | null;
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
  const { status, endedAt, metrics, seeds } = event.payload;
  return [
    singleFactWrite(event, 'run', 'completion', { status, endedAt, metrics: metrics ?? null, seeds: seeds ?? null }),
  ];
}

/**
 * The run's seeds: those it started with, and those it reported at its end
 * for purposes the start left unseeded. The start's value of a purpose wins,
 * so a completion cannot rewrite what the run was started with.
 */
export function runSeeds(
  started: Record<string, number>,
  completion: RunCompletion | undefined,
): Record<string, number> {
  return { ...(completion?.seeds ?? {}), ...started };
}
