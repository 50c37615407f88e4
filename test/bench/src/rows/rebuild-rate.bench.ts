import type { BenchSession } from '../bench-session';
import { pollUntil } from '../measure/poll-until';
import type { ServiceProcess } from '../processes/service-process';
import { row } from '../report/bench-report';
import { projectorClient, STALL_SECONDS, stallDiagnosis } from './projector-progress';

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
  const label = `${at.scale.toLocaleString('en-US')} predictions`;
  const { generation, seconds } = await timeRebuild(session, `rebuild @${label} (${at.store})`, [projector]);
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

/**
 * POST /v1/generations/rebuild to the first of `projectors` (replicas of one
 * consumer group: the others join the generation it begins), timed until
 * that generation is the active one.
 */
export async function timeRebuild(
  session: BenchSession,
  phase: string,
  projectors: readonly ServiceProcess[],
): Promise<{ generation: string; seconds: number }> {
  const [asked, ...others] = projectors;
  const client = projectorClient(session, asked);
  const clients = [client, ...others.map((projector) => projectorClient(session, projector))];
  return session.time(phase, async () => {
    const started = performance.now();
    const { generation: building } = await client.generations.rebuild();
    await pollUntil(
      `the rebuilt generation ${building} to be active`,
      async () => {
        for (const projector of projectors) projector.assertRunning();
        const [listing, ...rest] = await Promise.all(clients.map((c) => c.generations.list()));
        // Records each replica folded into it so far: one may be idle while another folds the lineage.
        const progress = [listing, ...rest].map(
          (l) =>
            (l.generations.find((g) => g.name === building) as { progress?: { processed: number } } | undefined)
              ?.progress?.processed ?? '',
        );
        return { done: listing.active === building, progress: progress.join('+') };
      },
      { stallSeconds: STALL_SECONDS, diagnosis: () => stallDiagnosis(projectors) },
    );
    return { generation: building, seconds: (performance.now() - started) / 1000 };
  });
}
