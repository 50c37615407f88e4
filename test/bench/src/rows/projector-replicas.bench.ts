import { DEFAULT_TOPIC_PARTITIONS } from '@prov/contracts';
import { PREDICTIONS_PER_BATCH } from '../bench-options';
import type { BenchSession } from '../bench-session';
import { row } from '../report/bench-report';
import { FreshProjection } from './fresh-projection';

/** What one set of replicas did: the projection of the predictions, then the rebuild of the whole log. */
interface ReplicasRun {
  replicas: number;
  lineageEvents: number;
  lineageSeconds: number;
  projectionSeconds: number;
  publishSeconds: number;
  /** What each replica folded into the live generation, and into the rebuilt one. */
  projectionShares: Share[];
  rebuildSeconds: number;
  rebuildShares: Share[];
}

type Share = { events: number; batches: number };

/**
 * Rows 2 and 4 with two projector replicas (README "Scaling out"): two
 * projector processes with the same settings, members of one consumer group
 * per generation (the inference topic's partitions shared between them, the
 * lineage topics folded by one), project the predictions up to `scale` from
 * scratch, then rebuild the whole log (POST /v1/generations/rebuild to one;
 * the other joins the generation it begins). Next to it: one projector
 * process doing the same, on topics and a database of its own, in the same
 * run. Returns that one-replica projection (the re-send row's raw limit at
 * this scale).
 */
export async function measureReplicas(
  session: BenchSession,
  scale: number,
): Promise<{ predictionsPerSecond: number; seconds: number }> {
  const label = `${scale.toLocaleString('en-US')} predictions`;
  const one = await replicasRun(session, scale, 1);
  const two = await replicasRun(session, scale, 2);
  const events = two.lineageEvents + scale / PREDICTIONS_PER_BATCH;
  const shares = (folded: Share[]) =>
    folded.map((share) => `${share.events} (${share.batches} prediction batches)`).join(' / ');

  session.rows.push(
    row({
      row: `projection, 2 projector replicas @${label}`,
      figure: scale / two.projectionSeconds,
      unit: 'predictions/s',
      raw: scale / one.projectionSeconds,
      notes: `two projector processes (default settings, one consumer group: the inference topic's ${DEFAULT_TOPIC_PARTITIONS} partitions shared, the lineage topics folded by one) on topics and a database of their own: the lineage (${two.lineageEvents} events) folded stage by stage in ${two.lineageSeconds.toFixed(0)} s, then ${scale / PREDICTIONS_PER_BATCH} batches of ${PREDICTIONS_PER_BATCH} published at once (in ${two.publishSeconds.toFixed(0)} s), timed until the active generation had folded the whole log: ${two.projectionSeconds.toFixed(1)} s; events folded into the live generation by each replica: ${shares(two.projectionShares)}; raw: one projector process doing the same on topics and a database of its own, just before (lineage in ${one.lineageSeconds.toFixed(0)} s, predictions in ${one.projectionSeconds.toFixed(1)} s)`,
    }),
    row({
      row: `rebuild, 2 projector replicas @${label}`,
      figure: scale / two.rebuildSeconds,
      unit: 'predictions/s',
      raw: scale / one.rebuildSeconds,
      notes: `then POST /v1/generations/rebuild to one of the two replicas (the other joins the generation it begins): ${events} events (${(events / two.rebuildSeconds).toFixed(0)} events/s) replayed into a new generation in ${two.rebuildSeconds.toFixed(1)} s, until active; events folded into it by each replica: ${shares(two.rebuildShares)}; raw: the same rebuild by the one projector process of the row above (${one.rebuildSeconds.toFixed(1)} s)`,
    }),
  );
  return { predictionsPerSecond: scale / one.projectionSeconds, seconds: one.projectionSeconds };
}

async function replicasRun(session: BenchSession, scale: number, replicas: number): Promise<ReplicasRun> {
  const label = `${scale.toLocaleString('en-US')} predictions`;
  const name = `replicas-${replicas}`;
  const fresh = await session.time(`${name}: start ${replicas} projector(s) and fold the lineage`, () =>
    FreshProjection.open(session, name, replicas),
  );
  try {
    const projection = await fresh.project(`${name}: publish and project ${label}`, scale / PREDICTIONS_PER_BATCH);
    const projectionShares = await fresh.foldedInto(await fresh.activeGeneration());
    const rebuild = await fresh.rebuild(`${name}: rebuild @${label}`);
    const rebuildShares = await fresh.foldedInto(rebuild.generation);
    return {
      replicas,
      lineageEvents: fresh.lineageEvents,
      lineageSeconds: fresh.lineageSeconds,
      projectionSeconds: projection.seconds,
      publishSeconds: projection.publishSeconds,
      projectionShares,
      rebuildSeconds: rebuild.seconds,
      rebuildShares,
    };
  } finally {
    await fresh.close();
  }
}
