import type { ProvenanceClient } from '@prov/sdk';
import { EXIT } from '../cli/exit-codes';
import type { Output } from '../cli/output';
import { renderStatus } from '../cli/render';

/**
 * `prov status`: what the event log and the views hold (records per topic,
 * documents per view of the active generation), their size on disk, and
 * what the active generation has still to fold; asked of the projector.
 */
export async function status(client: ProvenanceClient, out: Output): Promise<number> {
  const answer = await client.status();
  out.answer(answer, () => renderStatus(answer));
  return EXIT.ok;
}
