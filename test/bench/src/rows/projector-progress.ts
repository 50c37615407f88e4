import { Topics } from '@prov/contracts';
import type { EventLog } from '@prov/event-log';
import type { LineageStore } from '@prov/lineage-store';
import { ProvenanceClient } from '@prov/sdk';
import type { BenchSession } from '../bench-session';
import { pollUntil } from '../measure/poll-until';
import type { ServiceProcess } from '../processes/service-process';

/** The projector's progress is looked at every 100 ms; this long without any is a failure, not a slow run. */
export const STALL_SECONDS = 120;
export const PROJECTED_TOPICS = [Topics.training, Topics.registry, Topics.inference];

/** Settings of a projector on the run's topics, trusting the workload's signers. */
export function projectorEnv(session: BenchSession, store: 'mongodb' | 'memory'): Record<string, string> {
  return {
    PROV_STORE: store,
    PROV_TRUSTED_KEYS: session.workload.trustedKeysJson(),
    // Looks up catch-up progress five times a second (default 2 s), so that activation is not timed late.
    PROV_PROJECTOR_POLL_MS: '200',
  };
}

/** The projector's HTTP API, as an auditor, without retries (a failed probe is retried by the poll). */
export function projectorClient(session: BenchSession, projector: ServiceProcess): ProvenanceClient {
  return new ProvenanceClient({
    apiKey: session.auditor.token,
    projectorUrl: projector.url,
    retry: { retries: 0 },
  });
}

/** Polls the projector's generations (as an auditor) until one is active and caught up. */
export async function untilFirstGenerationActive(session: BenchSession, projector: ServiceProcess): Promise<void> {
  const client = projectorClient(session, projector);
  await pollUntil(
    `the first generation of ${projector.label} to be active`,
    async () => {
      projector.assertRunning();
      const listing = await client.generations.list();
      const building = listing.generations.find((g) => g.name === (listing.active ?? listing.generations[0]?.name));
      const progress = (building as { progress?: { processed: number } } | undefined)?.progress?.processed;
      return { done: Boolean(listing.active && building?.caughtUpAt), progress: String(progress ?? '') };
    },
    { stallSeconds: STALL_SECONDS, diagnosis: () => stallDiagnosis([projector]) },
  );
}

/**
 * Until the active generation's saved offsets reach the end of every
 * projected partition (as the projector's int-spec checks), whichever of
 * `projectors` (replicas of one consumer group) saved them; a failure after
 * `stallSeconds` without any offset moving.
 */
export async function untilCaughtUp(
  on: { log: EventLog; store: LineageStore },
  projectors: readonly ServiceProcess[],
  stallSeconds = STALL_SECONDS,
): Promise<void> {
  const active = await on.store.activeGeneration();
  if (!active) throw new Error('no active generation to catch up');
  const ends = new Map<string, bigint>();
  for (const topic of PROJECTED_TOPICS) {
    for (const p of await on.log.offsets(topic)) ends.set(`${topic}|${p.partition}`, BigInt(p.latest));
  }
  const generation = await on.store.generation(active);
  await pollUntil(
    `${projectors.map((p) => p.label).join(', ')} to fold the whole log into ${active}`,
    async () => {
      for (const projector of projectors) projector.assertRunning();
      const saved = new Map(
        (await generation.loadOffsets()).map((p) => [`${p.topic}|${p.partition}`, BigInt(p.offset)]),
      );
      const behind = [...ends].reduce((sum, [key, end]) => sum + Math.max(0, Number(end - (saved.get(key) ?? 0n))), 0);
      return { done: behind === 0, progress: String(behind) };
    },
    { stallSeconds, diagnosis: () => stallDiagnosis(projectors) },
  );
}

export function stallDiagnosis(projectors: readonly ServiceProcess[]): string {
  return (
    `The projector stopped making progress (a store that no longer answers, or a projector stuck). ` +
    projectors.map((projector) => `Last output of ${projector.label}:\n${projector.tail()}`).join('\n')
  );
}
