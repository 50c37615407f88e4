import { DomainError } from '@prov/contracts';
import {
  MongoBulkWriteError,
  MongoError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
} from 'mongodb';
import { LineageStoreRejectedError, LineageStoreUnavailableError } from '../lineage-store.errors';

/** The server's error code for an insert (or an upsert) that meets an existing unique key. */
export const DUPLICATE_KEY = 11000;

/** Server codes meaning the server is going away or busy, not that the request is wrong. */
const TRANSIENT_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  50, // MaxTimeMSExpired
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Runs a driver call and turns driver errors into the store's typed errors, once, here. */
export async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateDriverError(operation, error);
  }
}

export function translateDriverError(operation: string, error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (isUnavailable(error)) return new LineageStoreUnavailableError(operation, error);
  if (error instanceof MongoBulkWriteError) {
    const writeErrors = [error.writeErrors].flat();
    return new LineageStoreRejectedError(
      operation,
      writeErrors.map((e) => e.code),
      writeErrors.map((e) => e.errmsg ?? `code ${e.code}`),
      error,
    );
  }
  if (error instanceof MongoServerError) {
    return new LineageStoreRejectedError(operation, [Number(error.code)], [error.message], error);
  }
  return error;
}

function isUnavailable(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  if (!(error instanceof MongoError)) return false;
  // A bulk write cut off on the way (the connection closed, the server gone) carries no write errors,
  // and the network failure as its response: the store is away, the writes are not wrong.
  if (error instanceof MongoBulkWriteError && [error.writeErrors].flat().length === 0) {
    const response: unknown = error.errorResponse;
    if (response !== error && isUnavailable(response)) return true;
  }
  return (
    error.hasErrorLabel('RetryableWriteError') ||
    (typeof error.code === 'number' && TRANSIENT_CODES.has(error.code) && !(error instanceof MongoBulkWriteError))
  );
}
