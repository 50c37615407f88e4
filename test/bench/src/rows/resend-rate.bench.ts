import type { EventOf } from '@prov/contracts';
import { ProvenanceClient } from '@prov/sdk';
import { PREDICTIONS_PER_BATCH } from '../bench-options';
import type { BenchSession } from '../bench-session';
import type { ServiceProcess } from '../processes/service-process';
import { row } from '../report/bench-report';
import type { Resends } from '../workload/workload-publisher';
import { FreshProjection } from './fresh-projection';

/** Every tenth batch is sent again, five batches after it: a tenth of the prediction ids. */
const RESENDS: Resends = { every: 10, after: 5 };
/**
 * A round that holds re-sent ids reads the claims view (every record of a
 * re-sent id), which FerretDB scans whole for an `$in`: such rounds grow
 * with the scale, so the limit for no progress is longer than the other
 * rows' 120 s.
 */
const STALL_SECONDS = 600;

/**
 * Row 2 on a log with re-sent prediction ids: the predictions up to `scale`,
 * of which every tenth batch is published again a few batches later with
 * the same content in a batch of its own (ProvenanceWorkload.resentBatch),
 * as a retried scoring job would send it, onto the inference topic as the
 * workload publisher publishes batches: the projector must count each id
 * once. One projector process on topics and a database of its own folds it
 * from scratch, as for the replica rows. Then the counts are checked through
 * the query gateway: the impacts of every dataset version (which together
 * hold every model version) must give each model version exactly its
 * distinct prediction ids, and in all the distinct ids published; the run
 * fails otherwise. Raw: the rate of the same projection without re-sends,
 * measured in the same run (`raw`).
 */
export async function measureResends(
  session: BenchSession,
  scale: number,
  raw: { predictionsPerSecond: number; notes: string },
): Promise<void> {
  const label = `${scale.toLocaleString('en-US')} predictions`;
  const batches = scale / PREDICTIONS_PER_BATCH;
  const name = `resends-${scale}`;

  // What the log holds, counted as the projector must count it: each prediction id once.
  const distinct = new Set<string>();
  const expected = new Map<string, number>();
  let records = 0;
  let resentBatches = 0;
  const count = (event: EventOf<'prediction.batch.recorded'>, resent: boolean) => {
    if (resent) resentBatches += 1;
    const { modelVersionId } = event.payload;
    for (const { predictionId } of event.payload.predictions) {
      records += 1;
      if (distinct.has(predictionId)) continue;
      distinct.add(predictionId);
      expected.set(modelVersionId, (expected.get(modelVersionId) ?? 0) + 1);
    }
  };

  const fresh = await session.time(`${name}: start the projector and fold the lineage`, () =>
    FreshProjection.open(session, name, 1),
  );
  let projection: { seconds: number; publishSeconds: number };
  let gateway: ServiceProcess | undefined;
  try {
    projection = await fresh.project(`${name}: publish and project ${label} and the re-sent batches`, batches, {
      resends: RESENDS,
      keep: count,
      stallSeconds: STALL_SECONDS,
    });
    gateway = await session.startService('query-gateway', {
      label: `query-gateway (${name})`,
      env: { MONGODB_DATABASE: fresh.database },
    });
    const served = gateway;
    await session.time(`${name}: check the counts through the query gateway`, () =>
      checkCounts(session, served, { distinct: distinct.size, expected }),
    );
  } finally {
    if (gateway) await session.stopService(gateway);
    await fresh.close();
  }

  const resent = records - distinct.size;
  const figure = records / projection.seconds;
  session.rows.push(
    row({
      row: `projection, ${Math.round((100 * resent) / distinct.size)}% of ids re-sent @${label}`,
      figure,
      unit: 'predictions/s',
      raw: raw.predictionsPerSecond,
      notes: `one projector process on topics and a database of its own, the lineage folded first: ${batches} batches of ${PREDICTIONS_PER_BATCH} and ${resentBatches} of them sent again ${RESENDS.after} batches later (every ${RESENDS.every}th, same content, a batch and event id of their own), published at once (in ${projection.publishSeconds.toFixed(0)} s), timed until the active generation had folded the whole log: ${records.toLocaleString('en-US')} predictions on the log (${resent.toLocaleString('en-US')} re-sent) in ${projection.seconds.toFixed(1)} s, i.e. ${(distinct.size / projection.seconds).toFixed(0)} distinct ids/s; checked: the query gateway's dataset-version impacts count ${distinct.size.toLocaleString('en-US')} predictions, each model version its distinct ids; measured at the first scale unless --resend-scales says otherwise: every round holding re-sent ids reads the whole claims view (FerretDB pushes no $in down), whose size grows with the scale, so at 1M this row would take hours; raw: ${raw.notes}`,
    }),
  );
}

/**
 * The served counts through the public API: the impacts of every dataset
 * version of the workload (each model version was trained on one of them).
 * Throws unless every model version counts exactly its distinct prediction
 * ids and the totals come to the distinct ids published.
 */
async function checkCounts(
  session: BenchSession,
  gateway: ServiceProcess,
  published: { distinct: number; expected: Map<string, number> },
): Promise<void> {
  const client = new ProvenanceClient({
    apiKey: session.auditor.token,
    gatewayUrl: gateway.url,
    retry: { retries: 0 },
  });
  const counted = new Map<string, number>();
  let total = 0;
  for (const id of session.workload.datasetVersionIds) {
    const impact = await client.queries.datasetVersionImpact(id);
    total += impact.predictions.total;
    for (const model of impact.predictions.byModelVersion) {
      if (counted.has(model.id)) {
        throw new Error(`model version ${model.id} is downstream of two dataset versions: their totals overlap`);
      }
      counted.set(model.id, model.count);
    }
  }
  const wrong = [...new Set([...published.expected.keys(), ...counted.keys()])]
    .filter((id) => (counted.get(id) ?? 0) !== (published.expected.get(id) ?? 0))
    .map((id) => `${id}: ${counted.get(id) ?? 0} counted, ${published.expected.get(id) ?? 0} distinct ids published`);
  if (total !== published.distinct || wrong.length > 0) {
    throw new Error(
      `the query gateway's impacts count ${total} predictions for ${published.distinct} distinct ids published` +
        (wrong.length > 0 ? `; by model version: ${wrong.slice(0, 10).join('; ')}` : ''),
    );
  }
}
