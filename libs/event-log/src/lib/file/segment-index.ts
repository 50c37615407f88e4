import { crc32 } from './crc32';
import { MIN_RECORD_BYTES, readUint64, writeUint64 } from './record-codec';

/*
 * The index file of a sealed segment, `<base offset>.index` next to its
 * `.log`, so that opening the log need not scan the segment to find its
 * records (integers big-endian):
 *
 *   u32 crc             CRC-32 of everything after this field
 *   u8  version         INDEX_FORMAT_VERSION
 *   u64 segment bytes   the size of the segment file it indexes
 *   u64 record count
 *   per record: u64 where it starts in the segment file
 */
export const INDEX_FORMAT_VERSION = 1;
const HEADER_BYTES = 4 + 1 + 8 + 8;
const POSITION_BYTES = 8;

/** What the segment on disk holds, which a usable index file must describe. */
export interface IndexedSegment {
  bytes: number;
  records: number;
}

/** The size of the index file of a segment of `records` records. */
export const segmentIndexBytes = (records: number): number => HEADER_BYTES + records * POSITION_BYTES;

export function encodeSegmentIndex(starts: Float64Array, { bytes, records }: IndexedSegment): Buffer {
  const buffer = Buffer.allocUnsafe(segmentIndexBytes(records));
  let at = buffer.writeUInt8(INDEX_FORMAT_VERSION, 4);
  at = writeUint64(buffer, bytes, at);
  at = writeUint64(buffer, records, at);
  for (let i = 0; i < records; i++) at = writeUint64(buffer, starts[i], at);
  buffer.writeUInt32BE(crc32(buffer.subarray(4)), 0);
  return buffer;
}

/**
 * The record positions an index file holds, or why it does not describe the
 * segment (damaged, stale, or from another format version).
 */
export function decodeSegmentIndex(buffer: Buffer, segment: IndexedSegment): Float64Array | string {
  if (buffer.length < HEADER_BYTES) return 'index file shorter than its header';
  if (crc32(buffer.subarray(4)) !== buffer.readUInt32BE(0)) return 'CRC mismatch';
  if (buffer[4] !== INDEX_FORMAT_VERSION) return `unknown index format ${buffer[4]}`;
  const bytes = readUint64(buffer, 5);
  const records = readUint64(buffer, 13);
  if (bytes !== segment.bytes) return `indexes ${bytes} bytes, the segment has ${segment.bytes}`;
  if (records !== segment.records) return `indexes ${records} records, the segment has ${segment.records}`;
  if (buffer.length !== HEADER_BYTES + records * POSITION_BYTES) return 'index file length does not match its count';
  const starts = new Float64Array(records);
  for (let i = 0, at = HEADER_BYTES; i < records; i++, at += POSITION_BYTES) starts[i] = readUint64(buffer, at);
  return positionsFit(starts, bytes) ? starts : 'record positions out of order or outside the segment';
}

/** Records start at 0, each at least one smallest record after the one before, the last one before the end. */
function positionsFit(starts: Float64Array, bytes: number): boolean {
  if (starts.length === 0) return bytes === 0;
  if (starts[0] !== 0 || starts[starts.length - 1] + MIN_RECORD_BYTES > bytes) return false;
  for (let i = 1; i < starts.length; i++) if (starts[i] - starts[i - 1] < MIN_RECORD_BYTES) return false;
  return true;
}
