import { LogRecord, OutgoingMessage } from '../event-log.port';
import { MessageTooLargeError } from '../event-log.errors';
import { crc32 } from './crc32';

/*
 * One record in a segment file (integers big-endian):
 *
 *   u32 length          bytes that follow this field
 *   u32 crc             CRC-32 of the body below
 *   body:
 *     u8  version       RECORD_FORMAT_VERSION
 *     u64 offset
 *     u64 timestamp     ms since epoch, when the log appended it
 *     u32 indexInWrite  position of the record within the write (publish) it came in;
 *                       recovery uses it to tell a torn last write from damage before later writes
 *     u32 key length, key (UTF-8)
 *     u32 header count, then per header: u32 name length, name, u32 value length, value (UTF-8)
 *     u32 value length, value
 */
export const RECORD_FORMAT_VERSION = 1;
const PREFIX_BYTES = 8;
const FIXED_BODY_BYTES = 1 + 8 + 8 + 4 + 4 + 4 + 4;
/** Where the key's length field sits within the body. */
const KEY_FIELD = 1 + 8 + 8 + 4;
export const MIN_RECORD_BYTES = PREFIX_BYTES + FIXED_BODY_BYTES;
/** The largest record accepted; bigger length fields are corruption. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
const TWO_32 = 2 ** 32;

/** A message turned into bytes once, so that its size is known before any offset is. */
export interface EncodedMessage {
  key: Buffer;
  headers: Array<[Buffer, Buffer]>;
  value: Uint8Array;
  size: number;
}

export function encodeMessage(message: OutgoingMessage): EncodedMessage {
  if (typeof message.key !== 'string') throw new TypeError('a message key must be a string');
  if (!(message.value instanceof Uint8Array)) throw new TypeError('a message value must be a Buffer');
  const key = Buffer.from(message.key, 'utf8');
  const headers = Object.entries(message.headers ?? {}).map(([name, value]): [Buffer, Buffer] => {
    if (typeof value !== 'string') throw new TypeError(`header ${name} must be a string`);
    return [Buffer.from(name, 'utf8'), Buffer.from(value, 'utf8')];
  });
  const size =
    MIN_RECORD_BYTES +
    key.length +
    message.value.length +
    headers.reduce((sum, [name, value]) => sum + 8 + name.length + value.length, 0);
  if (size > MAX_RECORD_BYTES) throw new MessageTooLargeError(size, MAX_RECORD_BYTES);
  return { key, headers, value: message.value, size };
}

/**
 * Lays out consecutive records in one buffer, for one write. Returns each
 * record's start within the buffer.
 */
export function encodeRecords(
  messages: EncodedMessage[],
  firstOffset: number,
  timestamp: number,
): { buffer: Buffer; starts: number[] } {
  const buffer = Buffer.allocUnsafe(messages.reduce((sum, message) => sum + message.size, 0));
  const starts: number[] = [];
  let at = 0;
  messages.forEach((message, index) => {
    starts.push(at);
    const start = at;
    at = buffer.writeUInt32BE(message.size - 4, at);
    at += 4; // crc, written once the body is in place
    at = buffer.writeUInt8(RECORD_FORMAT_VERSION, at);
    at = writeUint64(buffer, firstOffset + index, at);
    at = writeUint64(buffer, timestamp, at);
    at = buffer.writeUInt32BE(index, at);
    at = writeBytes(buffer, message.key, at);
    at = buffer.writeUInt32BE(message.headers.length, at);
    for (const [name, value] of message.headers) {
      at = writeBytes(buffer, name, at);
      at = writeBytes(buffer, value, at);
    }
    at = writeBytes(buffer, message.value, at);
    buffer.writeUInt32BE(crc32(buffer.subarray(start + PREFIX_BYTES, at)), start + 4);
  });
  return { buffer, starts };
}

export interface RecordSummary {
  size: number;
  offset: number;
  indexInWrite: number;
}

/**
 * Checks the record whose length field is at `at`, reading no further than
 * `end`. Returns why it is not a valid record, or its size and position fields.
 * `offsets` bounds the offset it may carry, checked before the CRC so that
 * scanning arbitrary bytes for records stays cheap.
 */
export function inspectRecord(
  buffer: Buffer,
  at: number,
  end: number,
  offsets: { min: number; max: number },
): RecordSummary | string {
  if (end - at < PREFIX_BYTES) return 'partial record header';
  const size = buffer.readUInt32BE(at) + 4;
  if (size < MIN_RECORD_BYTES || size > MAX_RECORD_BYTES) return `invalid record length ${size - 4}`;
  if (at + size > end) return `record of ${size} bytes overruns the end of the file`;
  const body = at + PREFIX_BYTES;
  if (buffer[body] !== RECORD_FORMAT_VERSION) return `unknown record format ${buffer[body]}`;
  const offset = readUint64(buffer, body + 1);
  if (offset < offsets.min || offset > offsets.max) {
    return offsets.min === offsets.max
      ? `record carries offset ${offset} where ${offsets.min} was expected`
      : `record carries offset ${offset}`;
  }
  if (crc32(buffer.subarray(body, at + size)) !== buffer.readUInt32BE(at + 4)) return 'CRC mismatch';
  if (!fieldsFit(buffer, body + KEY_FIELD, at + size)) return 'record fields do not add up to its length';
  return { size, offset, indexInWrite: buffer.readUInt32BE(body + 17) };
}

/** Decodes a record already known to be valid. `value` shares memory with `buffer`. */
export function decodeRecord(buffer: Buffer, at: number, topic: string, partition: number): LogRecord {
  const body = at + PREFIX_BYTES;
  let cursor = body + KEY_FIELD;
  const [keyStart, keyEnd] = field(buffer, cursor);
  cursor = keyEnd;
  const headerCount = buffer.readUInt32BE(cursor);
  cursor += 4;
  const headers: Array<[string, string]> = [];
  for (let i = 0; i < headerCount; i++) {
    const [nameStart, nameEnd] = field(buffer, cursor);
    const [valueStart, valueEnd] = field(buffer, nameEnd);
    headers.push([buffer.toString('utf8', nameStart, nameEnd), buffer.toString('utf8', valueStart, valueEnd)]);
    cursor = valueEnd;
  }
  const [valueStart, valueEnd] = field(buffer, cursor);
  return {
    topic,
    partition,
    offset: String(readUint64(buffer, body + 1)),
    key: buffer.toString('utf8', keyStart, keyEnd),
    value: buffer.subarray(valueStart, valueEnd),
    // fromEntries defines own properties, so a header named __proto__ stays a header.
    headers: Object.fromEntries(headers),
    timestamp: readUint64(buffer, body + 9),
  };
}

function fieldsFit(buffer: Buffer, keyAt: number, end: number): boolean {
  let cursor = skipField(buffer, keyAt, end);
  if (cursor + 4 > end) return false;
  const headerCount = buffer.readUInt32BE(cursor);
  cursor += 4;
  for (let i = 0; i < headerCount && cursor <= end; i++)
    cursor = skipField(buffer, skipField(buffer, cursor, end), end);
  return skipField(buffer, cursor, end) === end;
}

/** The end of the length-prefixed field at `at`, or past `end` when it does not fit. */
function skipField(buffer: Buffer, at: number, end: number): number {
  return at + 4 > end ? end + 1 : at + 4 + buffer.readUInt32BE(at);
}

function field(buffer: Buffer, at: number): [number, number] {
  return [at + 4, at + 4 + buffer.readUInt32BE(at)];
}

function writeBytes(buffer: Buffer, bytes: Uint8Array, at: number): number {
  buffer.writeUInt32BE(bytes.length, at);
  buffer.set(bytes, at + 4);
  return at + 4 + bytes.length;
}

// Offsets, timestamps, counts and file positions stay below 2^53, so two 32-bit halves avoid BigInt.
export function writeUint64(buffer: Buffer, value: number, at: number): number {
  buffer.writeUInt32BE(Math.floor(value / TWO_32), at);
  return buffer.writeUInt32BE(value % TWO_32, at + 4);
}

export function readUint64(buffer: Buffer, at: number): number {
  return buffer.readUInt32BE(at) * TWO_32 + buffer.readUInt32BE(at + 4);
}
