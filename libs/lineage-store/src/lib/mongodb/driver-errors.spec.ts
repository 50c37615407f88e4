import { MongoBulkWriteError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { LineageStoreRejectedError, LineageStoreUnavailableError } from '../lineage-store.errors';
import { translateDriverError } from './driver-errors';

// The driver's bulk result is internal; the translation never reads it.
const noResult = {} as never;

describe('translating driver errors', () => {
  it('calls a bulk write cut off by a closed connection unavailable, not rejected', () => {
    const cutOff = new MongoBulkWriteError(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'), noResult);
    expect(translateDriverError('apply', cutOff)).toBeInstanceOf(LineageStoreUnavailableError);
  });

  it('calls a bulk write that found no server unavailable', () => {
    const noServer = new MongoBulkWriteError(
      new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', {} as never),
      noResult,
    );
    expect(translateDriverError('apply', noServer)).toBeInstanceOf(LineageStoreUnavailableError);
  });

  it('keeps a bulk write whose statements the server refused rejected, with their codes', () => {
    const refused = new MongoBulkWriteError(
      {
        message: 'E11000 duplicate key',
        code: 11000,
        writeErrors: [{ code: 11000, errmsg: 'duplicate key' } as never],
      },
      noResult,
    );
    const error = translateDriverError('apply', refused);
    expect(error).toBeInstanceOf(LineageStoreRejectedError);
    expect(error).toMatchObject({ codes: [11000] });
  });
});
