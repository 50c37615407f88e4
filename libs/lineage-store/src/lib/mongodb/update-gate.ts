import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';

/**
 * FerretDB 1.24 on PostgreSQL keeps one pooled backend connection per
 * statement of an update command until the whole command ends, from a pool of
 * 50 (`pool_max_conns`): a command of 50 update statements, or several in
 * flight that hold 50 together, waits forever for a connection it holds
 * itself, and every later request to that server hangs. So every update this
 * store sends goes through one gate per client: at most
 * `statementsPerCommand` statements a command and `commandsInFlight`
 * commands at a time. The pool is the server's, shared by every process
 * connected to it: 12 a process keeps three projector replicas and a query
 * gateway's reads under 50 together (more replicas call for a larger
 * `pool_max_conns` in FerretDB's PostgreSQL URL). Inserts are one statement
 * each and are not limited.
 */
export class UpdateGate {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly statementsPerCommand = 6,
    readonly commandsInFlight = 2,
  ) {}

  /** Sends the updates (unordered) in commands of at most `statementsPerCommand`, resolving once all were acknowledged. */
  async bulkWrite<T extends Document>(
    collection: Collection<T>,
    operations: readonly AnyBulkWriteOperation<T>[],
  ): Promise<void> {
    const commands: Promise<void>[] = [];
    for (let start = 0; start < operations.length; start += this.statementsPerCommand) {
      const chunk = operations.slice(start, start + this.statementsPerCommand);
      commands.push(
        this.admitted(async () => {
          await upsertingAgainOnRace(collection, chunk);
        }),
      );
    }
    // Every command settles before the first failure is reported, so no write is left running unseen.
    const outcomes = await Promise.allSettled(commands);
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Runs one update command when a place is free. */
  async admitted<R>(command: () => Promise<R>): Promise<R> {
    if (this.inFlight >= this.commandsInFlight) {
      await new Promise<void>((admit) => this.waiting.push(admit));
    } else {
      this.inFlight += 1;
    }
    try {
      return await command();
    } finally {
      const next = this.waiting.shift();
      // The place passes straight to the next waiter, so none can be overtaken.
      if (next) next();
      else this.inFlight -= 1;
    }
  }
}

const DUPLICATE_KEY = 11000;

/**
 * Sends one unordered command. Two writers upserting the same new `_id` at
 * once can both miss it, and the second insert then fails with a duplicate
 * key (MongoDB retries such an upsert itself; FerretDB does not): the
 * document exists by then, so those upserts alone are sent once more, and
 * now update it. Any other failure stands.
 */
async function upsertingAgainOnRace<T extends Document>(
  collection: Collection<T>,
  operations: readonly AnyBulkWriteOperation<T>[],
): Promise<void> {
  try {
    await collection.bulkWrite([...operations], { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const failed = [error.writeErrors].flat();
    const raced = failed.filter((e) => e.code === DUPLICATE_KEY && isUpsert(operations[e.index]));
    if (raced.length === 0 || raced.length < failed.length) throw error;
    await collection.bulkWrite(
      raced.map((e) => operations[e.index]),
      { ordered: false },
    );
  }
}

function isUpsert<T extends Document>(operation: AnyBulkWriteOperation<T> | undefined): boolean {
  if (!operation) return false;
  if ('updateOne' in operation) return operation.updateOne.upsert === true;
  if ('updateMany' in operation) return operation.updateMany.upsert === true;
  if ('replaceOne' in operation) return operation.replaceOne.upsert === true;
  return false;
}
