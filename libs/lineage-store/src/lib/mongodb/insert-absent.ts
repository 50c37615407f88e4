import { MongoBulkWriteError, type Collection, type Document, type OptionalUnlessRequiredId } from 'mongodb';
import { DUPLICATE_KEY } from './driver-errors';

/** Documents per insert command: well under the server's message limits, and others get a turn between them. */
export const INSERT_CHUNK = 1_000;

/**
 * Inserts the documents (unordered) and resolves with the positions of
 * those whose `_id` the collection already held, which are left as stored.
 * For documents that never change once written (a replayed batch writes
 * the very same ones): FerretDB inserts a command's documents in one step,
 * while it runs each update, an upsert too, as a read and a write of its own.
 */
export async function insertAbsent<T extends Document>(
  collection: Collection<T>,
  documents: readonly OptionalUnlessRequiredId<T>[],
): Promise<number[]> {
  const present: number[] = [];
  for (let start = 0; start < documents.length; start += INSERT_CHUNK) {
    try {
      await collection.insertMany(documents.slice(start, start + INSERT_CHUNK), { ordered: false });
    } catch (error) {
      const duplicates = duplicateKeyIndexes(error);
      if (!duplicates) throw error;
      for (const index of duplicates) present.push(start + index);
    }
  }
  return present;
}

/** The positions of the failed inserts of a bulk when every failure is a duplicate key; undefined otherwise. */
function duplicateKeyIndexes(error: unknown): number[] | undefined {
  if (!(error instanceof MongoBulkWriteError) || error.writeConcernError) return undefined;
  const writeErrors = [error.writeErrors].flat().filter(Boolean);
  if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) return undefined;
  return writeErrors.map((writeError) => writeError.index);
}
