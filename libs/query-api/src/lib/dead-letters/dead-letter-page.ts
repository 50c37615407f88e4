import { ID_PATTERNS } from '@prov/contracts';
import { InvalidRequestError } from '@prov/http-service';
import type { DeadLetterListPosition, DeadLetterQuery, DeadLetterStore } from '@prov/lineage-store';
import type { DeadLetterDocument } from '@prov/projections';

export interface DeadLetterPage {
  deadLetters: DeadLetterDocument[];
  nextCursor: string | null;
}

const RECORDED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * One page of the dead letters, newest first. The cursor is opaque to
 * clients: it names the last letter of the page, so a page goes on where
 * the previous one ended while new letters arrive (they come first, on a
 * listing started again).
 */
export async function deadLetterPage(
  store: DeadLetterStore,
  query: Omit<DeadLetterQuery, 'after'> & { cursor?: string },
): Promise<DeadLetterPage> {
  const { cursor, limit, ...filters } = query;
  // One more than the page, to know whether another follows.
  const found = await store.list({
    ...filters,
    ...(cursor === undefined ? {} : { after: decodeCursor(cursor) }),
    limit: limit + 1,
  });
  const deadLetters = found.slice(0, limit);
  const last = deadLetters[deadLetters.length - 1];
  return { deadLetters, nextCursor: found.length > limit ? encodeCursor(last) : null };
}

function encodeCursor({ recordedAt, deadLetterId }: DeadLetterListPosition): string {
  return Buffer.from(JSON.stringify({ recordedAt, deadLetterId }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): DeadLetterListPosition {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown> | null;
    const recordedAt = decoded?.['recordedAt'];
    const deadLetterId = decoded?.['deadLetterId'];
    if (
      typeof recordedAt === 'string' &&
      RECORDED_AT.test(recordedAt) &&
      typeof deadLetterId === 'string' &&
      ID_PATTERNS.deadLetter.test(deadLetterId)
    )
      return { recordedAt, deadLetterId };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  throw new InvalidRequestError([{ path: 'cursor', problem: 'not a cursor of this listing' }]);
}
