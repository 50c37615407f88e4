import { ProvenanceClient } from '@prov/sdk';
import type { BenchSession } from '../bench-session';
import { pollUntil } from '../measure/poll-until';
import type { ServiceProcess } from '../processes/service-process';
import { row } from '../report/bench-report';

/**
 * Row 4: a full replay of the log into a new generation, asked of a running
 * projector (POST /v1/generations/rebuild) and timed until that generation
 * is the active one, beside the live generation it replaces, next to the
 * rate at which that projector's store took the same events before (row 2).
 */
export async function measureRebuild(
  session: BenchSession,
  projector: ServiceProcess,
  at: { scale: number; events: number; store: string; raw: number; rawNotes: string },
): Promise<void> {
  const client = new ProvenanceClient({
    apiKey: session.auditor.token,
    projectorUrl: projector.url,
    retry: { retries: 0 },
  });
  const label = `${at.scale.toLocaleString('en-US')} predictions`;
  const { generation, seconds } = await session.time(`rebuild @${label} (${at.store})`, async () => {
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
  const predictionsPerSecond = at.scale / seconds;
  session.rows.push(
    row({
      row: `rebuild, ${at.store} @${label}`,
      figure: predictionsPerSecond,
      unit: 'predictions/s',
      raw: at.raw,
      notes: `POST /v1/generations/rebuild: ${at.events} events (${at.scale.toLocaleString('en-US')} predictions, ${(at.events / seconds).toFixed(0)} events/s) replayed into ${generation} in ${seconds.toFixed(0)} s, until active, beside the live generation; raw: ${at.rawNotes}`,
      goal: { text: '>= 0.8 of the projection rate', met: predictionsPerSecond / at.raw >= 0.8 },
    }),
  );
}
