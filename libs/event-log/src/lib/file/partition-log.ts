import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LogRecord } from '../event-log.port';
import { syncDirectory } from './durable-files';
import { LogCorruptedError, PartitionWriteFailedError } from './file-event-log.errors';
import { FileEventLogSettings } from './file-event-log.options';
import { decodeRecord, EncodedMessage, encodeRecords, inspectRecord } from './record-codec';
import { segmentIndexBytes } from './segment-index';
import { Segment } from './segment';

/** A damaged tail that recovery cut off a segment. */
export interface Truncation {
  file: string;
  /** Where the cut was made (the start of the first invalid record). */
  position: number;
  bytes: number;
  reason: string;
}

interface PendingWrite {
  messages: EncodedMessage[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

type PartitionSettings = Pick<FileEventLogSettings, 'sync' | 'segmentBytes'>;

/**
 * One partition: its segments, offset assignment and appends. Appends queue
 * while a write is in progress and then go out together, one write and one
 * fsync for everything queued (group commit), in offset order.
 */
export class PartitionLog {
  private pending: PendingWrite[] = [];
  private writing = false;
  private idle: Promise<void> = Promise.resolve();
  private failure?: Error;
  private dirty = false;
  /** The next offset to hand out; ahead of `latest` while writes are queued. */
  private nextOffset: number;

  private constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly directory: string,
    private readonly segments: Segment[],
    private readonly settings: PartitionSettings,
    private readonly onAppend: () => void,
  ) {
    this.nextOffset = this.active.endOffset;
  }

  static async create(
    directory: string,
    topic: string,
    partition: number,
    settings: PartitionSettings,
    onAppend: () => void,
  ): Promise<PartitionLog> {
    await mkdir(directory, { recursive: true });
    const segment = await Segment.create(directory, 0);
    if (settings.sync !== 'never') await syncDirectory(directory);
    return new PartitionLog(topic, partition, directory, [segment], settings, onAppend);
  }

  /**
   * Opens the segments and indexes their records. A last segment ending in
   * bytes that are not valid records lost its last write in a crash: those
   * bytes are cut off and reported. Invalid bytes anywhere else (followed by
   * later segments, or by records of a later write) are damage to records
   * that may have been acknowledged: opening fails with LogCorruptedError.
   * Sealed segments (all but the last) whose index file describes them are
   * not scanned, so damage inside one of those is found when its records are
   * read (each read checks every record's CRC).
   */
  static async open(
    directory: string,
    topic: string,
    partition: number,
    settings: PartitionSettings,
    onAppend: () => void,
  ): Promise<{ log: PartitionLog; truncation?: Truncation }> {
    const baseOffsets = (await listDirectory(directory))
      .map((name) => Segment.baseOffsetOf(name))
      .filter((offset): offset is number => offset !== undefined)
      .sort((a, b) => a - b);
    if (baseOffsets.length === 0) throw new LogCorruptedError(directory, 0, 'the partition has no segment file');
    const segments: Segment[] = [];
    const sync = settings.sync !== 'never';
    try {
      let truncation: Truncation | undefined;
      for (const [i, baseOffset] of baseOffsets.entries()) {
        const file = join(directory, Segment.fileName(baseOffset));
        const previous = segments.at(-1);
        if (previous && previous.endOffset !== baseOffset) {
          throw new LogCorruptedError(
            file,
            0,
            `it starts at offset ${baseOffset}, the previous one ends at ${previous.endOffset}`,
          );
        }
        const sealed = i < baseOffsets.length - 1 ? { endOffset: baseOffsets[i + 1], sync } : undefined;
        const { segment, damage } = await Segment.open(file, baseOffset, sealed);
        segments.push(segment);
        if (!damage) continue;
        if (i < baseOffsets.length - 1) {
          throw new LogCorruptedError(file, damage.position, `${damage.reason}, and later segments follow`);
        }
        const later = await segment.findLaterWrite(damage.position, segment.endOffset);
        if (later !== undefined) {
          throw new LogCorruptedError(
            file,
            damage.position,
            `${damage.reason}, and records of a later write follow at byte ${later}`,
          );
        }
        const bytes = await segment.truncate(damage.position);
        truncation = { file, position: damage.position, bytes, reason: damage.reason };
      }
      return { log: new PartitionLog(topic, partition, directory, segments, settings, onAppend), truncation };
    } catch (error) {
      await Promise.all(segments.map((segment) => segment.close()));
      throw error;
    }
  }

  get earliest(): number {
    return this.segments[0].baseOffset;
  }

  /** The offset the next visible record will have. */
  get latest(): number {
    return this.active.endOffset;
  }

  /** Bytes of the records its segment files hold (what reads can see). */
  /** Its segment files and the index files of the sealed ones (all but the last). */
  get bytes(): number {
    const last = this.segments.length - 1;
    return this.segments.reduce(
      (sum, segment, i) =>
        sum + segment.size + (i < last ? segmentIndexBytes(segment.endOffset - segment.baseOffset) : 0),
      0,
    );
  }

  /** Appends messages; resolves with the first one's offset once they are written (and fsync'd, by policy). */
  append(messages: EncodedMessage[]): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    const baseOffset = this.nextOffset;
    this.nextOffset += messages.length;
    return new Promise((resolve, reject) => {
      this.pending.push({ messages, resolve: () => resolve(baseOffset), reject });
      if (!this.writing) {
        this.writing = true;
        this.idle = this.writePending();
      }
    });
  }

  /** Up to `max` records from `offset` (which must be in range), fewer past `maxBytes`. */
  async read(offset: number, max: number, maxBytes: number): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    let next = offset;
    let budget = maxBytes;
    while (records.length < max && next < this.latest && budget > 0) {
      const segment = this.segmentHolding(next);
      const to = Math.min(segment.endOffset, next + max - records.length);
      const { buffer, starts } = await segment.read(next, to, budget);
      starts.forEach((start, i) => {
        const expected = { min: next + i, max: next + i };
        const problem = inspectRecord(buffer, start, buffer.length, expected);
        if (typeof problem === 'string')
          throw new LogCorruptedError(segment.file, segment.positionOf(next + i), problem);
        records.push(decodeRecord(buffer, start, this.topic, this.partition));
      });
      next += starts.length;
      budget -= buffer.length;
    }
    return records;
  }

  /**
   * Fsyncs what was written since the last fsync (the 'interval' policy leaves
   * some). Rejects, and the partition refuses later writes, when that fails.
   */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.dirty) return;
    this.dirty = false;
    try {
      await this.active.sync();
    } catch (error) {
      this.failure = new PartitionWriteFailedError(this.topic, this.partition, error);
      throw this.failure;
    }
  }

  /** Waits for queued writes, makes them durable (unless the policy is 'never') and closes the files. */
  async close(): Promise<void> {
    await this.idle;
    try {
      if (this.settings.sync !== 'never' && !this.failure) await this.active.sync();
    } finally {
      await Promise.all(this.segments.map((segment) => segment.close()));
    }
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  private segmentHolding(offset: number): Segment {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.segments[middle].baseOffset <= offset) low = middle;
      else high = middle - 1;
    }
    return this.segments[low];
  }

  private async writePending(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const writes = this.pending.splice(0);
        try {
          await this.write(writes.flatMap((write) => write.messages));
          for (const write of writes) write.resolve();
        } catch (error) {
          this.failure = new PartitionWriteFailedError(this.topic, this.partition, error);
          for (const write of [...writes, ...this.pending.splice(0)]) write.reject(this.failure);
        }
      }
    } finally {
      // Cleared in the same turn the queue was seen empty, so no append is left waiting.
      this.writing = false;
    }
  }

  private async write(messages: EncodedMessage[]): Promise<void> {
    const firstOffset = this.active.endOffset;
    const { buffer, starts } = encodeRecords(messages, firstOffset, Date.now());
    let segment = this.active;
    if (segment.size > 0 && segment.size + buffer.length > this.settings.segmentBytes) {
      segment = await this.roll(firstOffset);
    }
    await segment.append(buffer, starts, this.settings.sync === 'always');
    if (this.settings.sync === 'interval') this.dirty = true;
    this.onAppend();
  }

  /**
   * Seals the active segment, its index file on disk before the next segment
   * exists, and starts that one at `baseOffset`.
   */
  private async roll(baseOffset: number): Promise<Segment> {
    const sync = this.settings.sync !== 'never';
    if (this.settings.sync === 'interval') await this.active.sync();
    await this.active.seal(sync);
    const segment = await Segment.create(this.directory, baseOffset);
    if (sync) await syncDirectory(this.directory);
    this.segments.push(segment);
    return segment;
  }
}

async function listDirectory(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LogCorruptedError(directory, 0, 'the partition directory is missing');
    }
    throw error;
  }
}
