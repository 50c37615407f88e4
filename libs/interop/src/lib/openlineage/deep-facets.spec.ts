import { MAX_JSON_DEPTH, findNonJsonValue, type JsonValue } from '@prov/contracts';
import { withoutDeepFacets } from './deep-facets';
import type { OpenLineageRunEvent } from './openlineage-run-event';

/** A Spark-like logical plan: each node's child one level of `children` array and one of node below. */
function plan(nodes: number): JsonValue {
  let node: JsonValue = { class: 'LogicalRelation', 'num-children': 0 };
  for (let i = 1; i < nodes; i++) node = { class: `Node${i}`, 'num-children': 1, children: [node] };
  return node;
}

const event = (
  facets: Record<string, JsonValue>,
  inputFacets: Record<string, JsonValue> = {},
): OpenLineageRunEvent => ({
  eventType: 'COMPLETE',
  eventTime: '2026-11-04T12:00:00Z',
  producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.54.0/integration/spark',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: '01a19467-e800-7000-8000-000000000001', facets },
  job: { namespace: 'spark', name: 'etl' },
  inputs: [{ namespace: 'hdfs://lake', name: '/events', inputFacets }],
  outputs: [],
});

/** The event as the log records it: inside the payload of an envelope. */
const asRecorded = (runEvent: OpenLineageRunEvent) => ({ payload: { event: runEvent } });

describe('withoutDeepFacets', () => {
  it('keeps an event whose facets fit, unchanged', () => {
    const given = event({ spark_version: { version: '3.5.1' }, plan: plan(5) });
    expect(withoutDeepFacets(given)).toEqual({ event: given, dropped: [] });
  });

  it('drops each facet nested deeper than an event of the log can hold, names it, and the rest then fits', () => {
    const given = event({ spark_version: { version: '3.5.1' }, spark_logicalPlan: plan(16) }, { deep: plan(16) });
    expect(findNonJsonValue(asRecorded(given))).toEqual(
      expect.objectContaining({ problem: `is nested deeper than ${MAX_JSON_DEPTH} levels` }),
    );

    const { event: kept, dropped } = withoutDeepFacets(given);

    expect(dropped.map((d) => d.path)).toEqual(['run.facets.spark_logicalPlan', 'inputs[0].inputFacets.deep']);
    expect(dropped[0].problem).toMatch(/dropped, the rest of the event recorded/);
    expect(kept.run.facets).toEqual({ spark_version: { version: '3.5.1' } });
    expect(kept.inputs?.[0].inputFacets).toEqual({});
    expect(findNonJsonValue(asRecorded(kept))).toBeUndefined();
    // The event given is left as it was.
    expect(Object.keys(given.run.facets ?? {})).toEqual(['spark_version', 'spark_logicalPlan']);
  });

  it('keeps a facet exactly as deep as fits, and drops one a level deeper', () => {
    // run.facets.<name> sits 5 levels below the envelope: a facet may nest MAX_JSON_DEPTH - 5 levels below its top.
    const nested = (levels: number): JsonValue => (levels === 0 ? 1 : { a: nested(levels - 1) });
    const fits = event({ edge: nested(MAX_JSON_DEPTH - 5) });
    expect(withoutDeepFacets(fits).dropped).toEqual([]);
    expect(findNonJsonValue(asRecorded(fits))).toBeUndefined();
    expect(withoutDeepFacets(event({ edge: nested(MAX_JSON_DEPTH - 4) })).dropped).toHaveLength(1);
  });
});
