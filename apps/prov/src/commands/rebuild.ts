import type { ProvenanceClient } from '@prov/sdk';
import { CliError, EXIT } from '../cli/exit-codes';
import type { Output } from '../cli/output';

/**
 * `prov rebuild`: replays the whole log into a new view generation, with a
 * progress bar, until the projector has made it the active one.
 */
export async function rebuild(
  client: ProvenanceClient,
  out: Output,
  options: { wait: boolean; timeoutSeconds: number },
): Promise<number> {
  const started = await client.generations.rebuild();
  out.note(`rebuilding the views into generation ${started.generation}`);
  if (!options.wait) {
    out.answer(started, () => `generation ${started.generation} is building`);
    return EXIT.ok;
  }
  const progress = out.progress('rebuild', 1, 'records');
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let total = 0;
  try {
    for (;;) {
      const state = await client.generations.list();
      const generation = state.generations.find((g) => g.name === started.generation);
      if (!generation)
        throw new CliError(
          `generation ${started.generation} is gone: the rebuild failed (see the projector's log)`,
          EXIT.internal,
        );
      if (generation.progress) {
        const { processed, lag } = generation.progress;
        total = processed + lag;
        progress.update(processed, total);
      }
      if (state.active === started.generation) {
        progress.update(total, total);
        progress.stop();
        out.answer(
          { generation: started.generation, status: 'active', caughtUpAt: generation.caughtUpAt },
          () => `generation ${started.generation} caught up at ${generation.caughtUpAt} and is now active`,
        );
        return EXIT.ok;
      }
      if (Date.now() > deadline)
        throw new CliError(
          `generation ${started.generation} was not active after ${options.timeoutSeconds} s`,
          EXIT.unavailable,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    progress.stop();
  }
}
