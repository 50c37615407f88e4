import { ProvenanceClient } from '@prov/sdk';
import type { BenchSession } from '../bench-session';
import { pollUntil } from '../measure/poll-until';
import type { ServiceProcess } from '../processes/service-process';
import { row } from '../report/bench-report';

/**
 * Row 4: a full replay of the log into a new generation, asked of a running
 * projector (POST /v1/generations/rebuild) and timed until that generation
 * is the active one, next to the rate at which the same projector built its
 * first generation from the same log (row 2).
 *
 * It runs on the in-memory store: on FerretDB 1.24 with PostgreSQL a replay
 * folds upstream entities after the model versions that read them (any
 * order across partitions), recomputing many in one fold, which deadlocks
 * the store (test/bench/README.md).
 */
export async function measureRebuild(
  session: BenchSession,
  projector: ServiceProcess,
  at: { scale: number; events: number; firstBuildEventsPerSecond: number },
): Promise<void> {
  const client = new ProvenanceClient({
    apiKey: session.auditor.token,
    projectorUrl: projector.url,
    retry: { retries: 0 },
  });
  const label = `${at.scale.toLocaleString('en-US')} predictions`;
  const { generation, seconds } = await session.time(`rebuild @${label} (memory store)`, async () => {
    const started = performance.now();
    const { generation: building } = await client.generations.rebuild();
    await pollUntil(
      `the rebuilt generation ${building} to be active`,
      async () => {
        projector.assertRunning();
        const listing = await client.generations.list();
        const progress = (
          listing.generations.find((g) => g.name === building) as { progress?: { processed: number } } | undefined
        )?.progress?.processed;
        return { done: listing.active === building, progress: String(progress ?? '') };
      },
      { stallSeconds: 120, diagnosis: () => `Last output of ${projector.label}:\n${projector.tail()}` },
    );
    return { generation: building, seconds: (performance.now() - started) / 1000 };
  });
  const eventsPerSecond = at.events / seconds;
  session.rows.push(
    row({
      row: `rebuild, in-memory store @${label}`,
      figure: eventsPerSecond,
      unit: 'events/s',
      raw: at.firstBuildEventsPerSecond,
      notes: `POST /v1/generations/rebuild: ${at.events} events (${at.scale.toLocaleString('en-US')} predictions) replayed into ${generation} in ${seconds.toFixed(0)} s, until active, beside the live generation; raw: the same process's first build of the same log (row 2)`,
      goal: { text: '>= 0.8 of the projection rate', met: eventsPerSecond / at.firstBuildEventsPerSecond >= 0.8 },
    }),
  );
}
