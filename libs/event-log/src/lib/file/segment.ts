import { FileHandle, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomically } from './durable-files';
import { LogCorruptedError } from './file-event-log.errors';
import { inspectRecord, MAX_RECORD_BYTES, MIN_RECORD_BYTES } from './record-codec';
import { decodeSegmentIndex, encodeSegmentIndex } from './segment-index';

/** Bytes read at a time when scanning a segment on open. */
const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;

/** The first bytes of a segment that are not a valid record. */
export interface SegmentDamage {
  position: number;
  reason: string;
}

/** How a partition opens a segment that a later one follows: it never changes again. */
export interface SealedSegment {
  /** The offset after its last record: the next segment's base offset. */
  endOffset: number;
  /** Whether to fsync the index file written for it. */
  sync: boolean;
}

/**
 * One append-only file of a partition, named by the offset of its first
 * record. Keeps the file position of every record it holds (the in-memory
 * index), so that reading any offset is one positioned read. Only records
 * whose write completed (and, by policy, was fsync'd) are in the index, so
 * readers never see a record that a crash could take back. Once a later
 * segment follows it, the index is also kept in an index file next to it,
 * which opening the log loads instead of scanning the segment.
 */
export class Segment {
  private starts: Float64Array = new Float64Array(1024);
  private count = 0;
  private bytes = 0;

  private constructor(
    readonly file: string,
    readonly baseOffset: number,
    private readonly handle: FileHandle,
  ) {}

  static fileName(baseOffset: number): string {
    return `${String(baseOffset).padStart(20, '0')}.log`;
  }

  static indexFileName(baseOffset: number): string {
    return `${String(baseOffset).padStart(20, '0')}.index`;
  }

  static baseOffsetOf(fileName: string): number | undefined {
    const match = /^(\d{20})\.log$/.exec(fileName);
    return match ? Number(match[1]) : undefined;
  }

  static async create(directory: string, baseOffset: number): Promise<Segment> {
    const file = join(directory, Segment.fileName(baseOffset));
    return new Segment(file, baseOffset, await open(file, 'wx+'));
  }

  /**
   * Opens a segment and indexes its records. A sealed one takes its index from
   * its index file when that file describes it. Otherwise the records are
   * scanned, stopping at the first bytes that are not the expected next
   * record, and a sealed segment that scans whole gets its index file written
   * again, so that the next open need not scan it.
   */
  static async open(
    file: string,
    baseOffset: number,
    sealed?: SealedSegment,
  ): Promise<{ segment: Segment; damage?: SegmentDamage }> {
    const segment = new Segment(file, baseOffset, await open(file, 'r+'));
    try {
      if (sealed && (await segment.loadIndex(sealed.endOffset))) return { segment };
      const damage = await segment.scan();
      if (sealed && !damage && segment.endOffset === sealed.endOffset) await segment.seal(sealed.sync);
      return { segment, damage };
    } catch (error) {
      await segment.close();
      throw error;
    }
  }

  /** The offset after the last record. */
  get endOffset(): number {
    return this.baseOffset + this.count;
  }

  get size(): number {
    return this.bytes;
  }

  /** Appends records laid out in one buffer (`starts`: where each begins in it). */
  async append(buffer: Buffer, starts: number[], sync: boolean): Promise<void> {
    let written = 0;
    while (written < buffer.length) {
      const { bytesWritten } = await this.handle.write(buffer, written, buffer.length - written, this.bytes + written);
      written += bytesWritten;
    }
    if (sync) await this.handle.datasync();
    for (const start of starts) this.index(this.bytes + start);
    this.bytes += buffer.length;
  }

  async sync(): Promise<void> {
    await this.handle.datasync();
  }

  /**
   * Writes the index file of a segment that takes no more records (a later
   * one follows it), atomically. Its in-memory index shrinks to fit, as it
   * never grows again.
   */
  async seal(sync: boolean): Promise<void> {
    this.starts = this.starts.slice(0, this.count);
    const index = encodeSegmentIndex(this.starts, { bytes: this.bytes, records: this.count });
    await writeFileAtomically(this.indexFile, index, sync);
  }

  /**
   * Reads the records from offset `from` up to `to` (exclusive), stopping
   * early past `maxBytes` but always returning at least one record. Returns
   * the bytes and where each record starts in them.
   */
  async read(from: number, to: number, maxBytes: number): Promise<{ buffer: Buffer; starts: number[] }> {
    const first = this.positionOf(from);
    let end = this.endOf(from);
    let last = from + 1;
    while (last < to && this.endOf(last) - first <= maxBytes) end = this.endOf(last++);
    const buffer = await this.readAt(first, end - first);
    if (buffer.length < end - first) {
      throw new LogCorruptedError(this.file, first + buffer.length, 'the file ends before its indexed records');
    }
    const starts: number[] = [];
    for (let offset = from; offset < last; offset++) starts.push(this.positionOf(offset) - first);
    return { buffer, starts };
  }

  /**
   * The position of a valid record, at or after `position`, from a later write
   * than the one that holds `offset`, if there is one.
   */
  async findLaterWrite(position: number, offset: number): Promise<number | undefined> {
    const { size } = await this.handle.stat();
    const buffer = await this.readAt(position, size - position);
    // Records after the damage can carry offsets from `offset` up to one per smallest record.
    const offsets = { min: offset, max: offset + Math.ceil(buffer.length / MIN_RECORD_BYTES) };
    for (let at = 0; at + MIN_RECORD_BYTES <= buffer.length;) {
      const record = inspectRecord(buffer, at, buffer.length, offsets);
      if (typeof record === 'string') {
        at++;
      } else if (record.offset - record.indexInWrite > offset) {
        return position + at;
      } else {
        at += record.size;
      }
    }
    return undefined;
  }

  /** Cuts the file at `position` (the start of its damaged tail), durably; returns the bytes cut. */
  async truncate(position: number): Promise<number> {
    const { size } = await this.handle.stat();
    await this.handle.truncate(position);
    await this.handle.sync();
    return size - position;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  /** Where the record at `offset` starts in the file. */
  positionOf(offset: number): number {
    return this.starts[offset - this.baseOffset];
  }

  private endOf(offset: number): number {
    const next = offset + 1 - this.baseOffset;
    return next < this.count ? this.starts[next] : this.bytes;
  }

  private get indexFile(): string {
    return join(dirname(this.file), Segment.indexFileName(this.baseOffset));
  }

  private index(position: number): void {
    if (this.count === this.starts.length) {
      const grown = new Float64Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = position;
  }

  /**
   * Takes the record positions from the index file, if it describes this
   * segment: its checksum holds, it counts the records up to `endOffset` and
   * the file's bytes, and its last position holds that record, ending where
   * the file does. Records before it are not read here; reads check them.
   */
  private async loadIndex(endOffset: number): Promise<boolean> {
    const contents = await readIfPresent(this.indexFile);
    if (!contents) return false;
    const { size } = await this.handle.stat();
    const starts = decodeSegmentIndex(contents, { bytes: size, records: endOffset - this.baseOffset });
    if (typeof starts === 'string') return false;
    if (starts.length > 0 && !(await this.endsWithRecord(starts[starts.length - 1], endOffset - 1, size))) {
      return false;
    }
    this.starts = starts;
    this.count = starts.length;
    this.bytes = size;
    return true;
  }

  /** Whether the bytes from `position` to `size` (the end of the file) are the record `offset`. */
  private async endsWithRecord(position: number, offset: number, size: number): Promise<boolean> {
    if (size - position > MAX_RECORD_BYTES) return false;
    const buffer = await this.readAt(position, size - position);
    const record = inspectRecord(buffer, 0, buffer.length, { min: offset, max: offset });
    return typeof record !== 'string' && record.size === buffer.length;
  }

  private async scan(): Promise<SegmentDamage | undefined> {
    const { size } = await this.handle.stat();
    let chunk: Buffer = Buffer.alloc(0);
    let chunkAt = 0;
    // Makes the file's bytes [at, at + bytes) (or up to its end) available in `chunk`.
    const load = async (at: number, bytes: number) => {
      if (at >= chunkAt && Math.min(at + bytes, size) <= chunkAt + chunk.length) return;
      chunk = await this.readAt(at, Math.min(Math.max(SCAN_CHUNK_BYTES, bytes), size - at));
      chunkAt = at;
    };
    while (this.bytes < size) {
      const at = this.bytes;
      await load(at, 8);
      if (chunkAt + chunk.length - at >= 8) {
        await load(at, Math.min(chunk.readUInt32BE(at - chunkAt) + 4, MAX_RECORD_BYTES));
      }
      const expected = { min: this.endOffset, max: this.endOffset };
      const record = inspectRecord(chunk, at - chunkAt, chunk.length, expected);
      if (typeof record === 'string') return { position: at, reason: record };
      this.index(at);
      this.bytes += record.size;
    }
    return undefined;
  }

  private async readAt(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await this.handle.read(buffer, read, length - read, position + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  }
}

async function readIfPresent(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
