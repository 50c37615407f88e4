import { EventLogError } from '../event-log.errors';

/**
 * A segment holds bytes that are not valid records somewhere other than its
 * torn tail. Opening stops rather than dropping records that may have been
 * acknowledged; the message names the file and byte position to inspect.
 */
export class LogCorruptedError extends EventLogError {
  readonly retriable = false;

  constructor(
    readonly file: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super(`event log file ${file} is corrupt at byte ${position}: ${reason}`);
  }
}

/** Another live process (or another open log in this one) owns the data directory. */
export class DataDirectoryLockedError extends EventLogError {
  readonly retriable = false;

  constructor(
    readonly directory: string,
    readonly pid: number,
  ) {
    super(
      `event log directory ${directory} is in use by process ${pid}` +
        (pid === process.pid ? ' (this process: close the other FileEventLog first)' : '') +
        `; if no such process uses it, delete ${directory}/LOCK`,
    );
  }
}

/**
 * A write or fsync of a partition failed. What reached the disk is unknown,
 * so the partition takes no more writes until the log is reopened, when
 * recovery validates the segment and drops a torn tail.
 */
export class PartitionWriteFailedError extends EventLogError {
  readonly retriable = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    cause: unknown,
  ) {
    super(
      `writing ${topic}/${partition} failed (${cause instanceof Error ? cause.message : String(cause)}); ` +
        'the partition takes no writes until the log is reopened',
      { cause },
    );
  }
}
