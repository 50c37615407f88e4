import { processLogger } from '@prov/logging';
import { MIN_RECORD_BYTES } from './record-codec';

/**
 * When appended records reach the disk: before `publish` resolves
 * (`'always'`, the default, what the port promises), at most `intervalMs`
 * after it resolves (a crash of the machine can lose that window), or when the
 * operating system decides (`'never'`: tests and benchmarks; a crash of the
 * process alone loses nothing).
 */
export type FsyncPolicy = 'always' | 'never' | { intervalMs: number };

export interface ConsumerErrorContext {
  groupId: string;
  topic: string;
  partition: number;
  /** The first offset of the batch that will be delivered again. */
  offset: string;
}

/** What both adapters do with a handler's failure unless told otherwise: say it, and deliver again. */
export function logConsumerError(error: unknown, { groupId, topic, partition, offset }: ConsumerErrorContext): void {
  processLogger().error(
    { context: 'event-log', err: error, groupId, topic, partition, offset },
    `consumer of group ${groupId} failed on ${topic}/${partition} at ${offset}; redelivering`,
  );
}

export interface FileEventLogOptions {
  fsync?: FsyncPolicy;
  /** Size past which a partition starts a new segment file. Default 256 MiB. */
  segmentBytes?: number;
  /**
   * Told when a consumer's `onBatch` throws (or its records cannot be read);
   * the batch is delivered again after a pause. Default: logged.
   */
  onConsumerError?: (error: unknown, context: ConsumerErrorContext) => void;
}

export interface FileEventLogSettings {
  sync: 'always' | 'interval' | 'never';
  syncIntervalMs: number;
  segmentBytes: number;
  onConsumerError: (error: unknown, context: ConsumerErrorContext) => void;
}

export function resolveOptions(options: FileEventLogOptions): FileEventLogSettings {
  const fsync = options.fsync ?? 'always';
  const segmentBytes = options.segmentBytes ?? 256 * 1024 * 1024;
  if (!Number.isSafeInteger(segmentBytes) || segmentBytes < MIN_RECORD_BYTES) {
    throw new RangeError(`segmentBytes must be an integer of at least ${MIN_RECORD_BYTES}, got ${segmentBytes}`);
  }
  if (typeof fsync === 'object' && !(Number.isFinite(fsync.intervalMs) && fsync.intervalMs > 0)) {
    throw new RangeError(`fsync.intervalMs must be a positive number of milliseconds, got ${fsync.intervalMs}`);
  }
  if (typeof fsync !== 'object' && fsync !== 'always' && fsync !== 'never') {
    throw new RangeError(`fsync must be 'always', 'never' or { intervalMs }, got ${String(fsync)}`);
  }
  return {
    sync: typeof fsync === 'object' ? 'interval' : fsync,
    syncIntervalMs: typeof fsync === 'object' ? fsync.intervalMs : 0,
    segmentBytes,
    onConsumerError: options.onConsumerError ?? logConsumerError,
  };
}
