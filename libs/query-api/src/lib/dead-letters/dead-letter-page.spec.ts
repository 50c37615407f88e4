import { InvalidRequestError } from '@prov/http-service';
import { InMemoryLineageStore } from '@prov/lineage-store';
import type { DeadLetterDocument } from '@prov/projections';
import { deadLetterPage } from './dead-letter-page';

const letter = (offset: number, recordedAt: string): DeadLetterDocument => ({
  deadLetterId: `deadletter:provenance.registry.v1/2/${offset}`,
  reason: offset % 2 === 0 ? 'invalid-envelope' : 'forbidden-producer',
  problems: [{ path: 'producer.service', problem: 'refused' }],
  source: { topic: 'provenance.registry.v1', partition: 2, offset: String(offset), key: 'model:churn@1' },
  rejectedBy: 'projector',
  recordedAt,
  messageHeadBase64: '',
  messageTruncated: false,
});

describe('a page of dead letters', () => {
  const store = new InMemoryLineageStore();
  // Two refused in the same millisecond, so that the cursor must tell them apart.
  const letters = [
    letter(10, '2026-12-01T10:00:00.000Z'),
    letter(11, '2026-12-01T10:00:01.000Z'),
    letter(12, '2026-12-01T10:00:01.000Z'),
    letter(13, '2026-12-01T10:00:02.000Z'),
  ];
  beforeAll(() => store.deadLetters.keep(letters, { topic: 'provenance.deadletter.v1', partition: 0, offset: '4' }));

  it('goes through every letter once, newest first, and says when the last page is reached', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await deadLetterPage(store.deadLetters, { cursor, limit: 3 });
      seen.push(...page.deadLetters.map((l) => l.deadLetterId));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual([letters[3], letters[2], letters[1], letters[0]].map((l) => l.deadLetterId));
  });

  it('gives no next cursor when the page holds exactly the rest', async () => {
    expect(await deadLetterPage(store.deadLetters, { limit: 4 })).toEqual({
      deadLetters: [letters[3], letters[2], letters[1], letters[0]],
      nextCursor: null,
    });
  });

  it('pages within a filter', async () => {
    const first = await deadLetterPage(store.deadLetters, { reason: 'invalid-envelope', limit: 1 });
    expect(first.deadLetters).toEqual([letters[2]]);
    const next = await deadLetterPage(store.deadLetters, {
      reason: 'invalid-envelope',
      cursor: first.nextCursor as string,
      limit: 1,
    });
    expect(next).toEqual({ deadLetters: [letters[0]], nextCursor: null });
  });

  it.each([
    'not-a-cursor',
    Buffer.from('{"recordedAt":"yesterday","deadLetterId":"deadletter:t/0/1"}').toString('base64url'),
    Buffer.from('{"recordedAt":"2026-12-01T10:00:00.000Z","deadLetterId":"pred:1"}').toString('base64url'),
    Buffer.from('null').toString('base64url'),
  ])('refuses a cursor it did not hand out: %s', async (cursor) => {
    await expect(deadLetterPage(store.deadLetters, { cursor, limit: 2 })).rejects.toThrow(InvalidRequestError);
  });
});
