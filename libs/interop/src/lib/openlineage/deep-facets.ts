import { MAX_JSON_DEPTH, type JsonValue, type ValidationProblem } from '@prov/contracts';
import type { OpenLineageFacets, OpenLineageRunEvent } from './openlineage-run-event';

/**
 * Where a RunEvent sits in the event that records it
 * (`envelope.payload.event`): the levels above its own top.
 */
const LEVELS_ABOVE_THE_EVENT = 2;

/**
 * The RunEvent without the facets nested too deep for an event of the log
 * (MAX_JSON_DEPTH levels in all), each dropped one named: a facet no
 * consumer here reads (a Spark logical plan many nodes deep) must not cost
 * the run, its job and its datasets, which are recorded without it. The
 * event given is not changed.
 */
export function withoutDeepFacets(event: OpenLineageRunEvent): {
  event: OpenLineageRunEvent;
  dropped: ValidationProblem[];
} {
  const dropped: ValidationProblem[] = [];
  const trimmed = structuredClone(event);
  const trim = (facets: OpenLineageFacets | undefined, path: Array<string | number>) => {
    if (!facets) return;
    for (const [name, facet] of Object.entries(facets)) {
      // The facet's own top is one level below its `facets` object, itself `path.length` levels below the event.
      const top = LEVELS_ABOVE_THE_EVENT + path.length + 1;
      const deepest = top + heightOf(facet);
      if (deepest <= MAX_JSON_DEPTH) continue;
      delete facets[name];
      dropped.push({
        path: [...path, name]
          .map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`))
          .join('')
          .slice(1),
        problem: `nests ${deepest - top} levels, more than the ${MAX_JSON_DEPTH - top} an event can hold there: dropped, the rest of the event recorded`,
      });
    }
  };
  trim(trimmed.run?.facets, ['run', 'facets']);
  trim(trimmed.job?.facets, ['job', 'facets']);
  trimmed.inputs?.forEach((input, i) => {
    trim(input.facets, ['inputs', i, 'facets']);
    trim(input.inputFacets, ['inputs', i, 'inputFacets']);
  });
  trimmed.outputs?.forEach((output, i) => {
    trim(output.facets, ['outputs', i, 'facets']);
    trim(output.outputFacets, ['outputs', i, 'outputFacets']);
  });
  return { event: trimmed, dropped };
}

/** Levels below a value's top (0 for a scalar), without recursion, so no nesting overflows the stack here. */
function heightOf(value: JsonValue): number {
  let height = 0;
  const pending: Array<{ value: JsonValue; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop() as { value: JsonValue; depth: number };
    if (next.value === null || typeof next.value !== 'object') continue;
    for (const child of Object.values(next.value)) {
      height = Math.max(height, next.depth + 1);
      pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  return height;
}
