import type { DeadLetterDocument, DeadLetterPage, DeadLettersQuery, ProvenanceClient } from '@prov/sdk';
import { CliError, EXIT } from '../cli/exit-codes';
import type { Output } from '../cli/output';
import { renderDeadLetters } from '../cli/render';

export interface DeadLettersOptions {
  reason?: DeadLettersQuery['reason'];
  topic?: string;
  limit?: string;
  cursor?: string;
  all?: boolean;
}

/** `prov dead-letters`: the messages the projector refused, newest first, a page (or, with --all, every page). */
export async function deadLetters(client: ProvenanceClient, out: Output, options: DeadLettersOptions): Promise<number> {
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000))
    throw new CliError(`--limit must be an integer from 1 to 1000, got ${options.limit}`, EXIT.usage);
  const query = { reason: options.reason, topic: options.topic, limit };
  let page = await client.queries.deadLetters({ ...query, cursor: options.cursor });
  const letters: DeadLetterDocument[] = [...page.deadLetters];
  while (options.all && page.nextCursor !== null) {
    page = await client.queries.deadLetters({ ...query, cursor: page.nextCursor });
    letters.push(...page.deadLetters);
  }
  const answer: DeadLetterPage = { deadLetters: letters, nextCursor: page.nextCursor };
  out.answer(answer, () => renderDeadLetters(answer));
  return EXIT.ok;
}
