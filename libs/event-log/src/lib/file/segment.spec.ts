import { mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from './crc32';
import { bytesReadDuring } from './file-reads.test-helper';
import { encodeMessage, encodeRecords, MIN_RECORD_BYTES } from './record-codec';
import { SealedSegment, Segment } from './segment';
import { encodeSegmentIndex } from './segment-index';

describe('Segment', () => {
  const BASE = 7;
  let directory: string;
  let file: string;
  let indexFile: string;
  const opened: Segment[] = [];

  /** A closed segment of three writes of three records each, sealed; returns its end offset. */
  const writeSealedSegment = async () => {
    const segment = await Segment.create(directory, BASE);
    for (let write = 0; write < 3; write++) {
      const messages = [0, 1, 2].map((i) =>
        encodeMessage({ key: 'k', value: Buffer.from(`${write}-${i}`.repeat(20)) }),
      );
      const { buffer, starts } = encodeRecords(messages, segment.endOffset, 1_700_000_000_000);
      await segment.append(buffer, starts, false);
    }
    await segment.seal(false);
    await segment.close();
    return segment.endOffset;
  };
  const openSegment = async (sealed?: SealedSegment) => {
    const result = await Segment.open(file, BASE, sealed);
    opened.push(result.segment);
    return result;
  };
  /** Opens the segment, counting the bytes that took reading. */
  const openCountingReads = async (sealed?: SealedSegment) => {
    let result: Awaited<ReturnType<typeof openSegment>> | undefined;
    const bytesRead = await bytesReadDuring(async () => (result = await openSegment(sealed)));
    return { ...(result as Awaited<ReturnType<typeof openSegment>>), bytesRead };
  };
  /** Every record's bytes, and where each starts (in the file, as reading from the first record). */
  const contents = (segment: Segment) => segment.read(BASE, segment.endOffset, Number.MAX_SAFE_INTEGER);
  const overwrite = async (position: number, bytes: Buffer) => {
    const handle = await open(file, 'r+');
    await handle.write(bytes, 0, bytes.length, position);
    await handle.close();
  };

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'segment-'));
    file = join(directory, Segment.fileName(BASE));
    indexFile = join(directory, Segment.indexFileName(BASE));
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((segment) => segment.close()));
    await rm(directory, { recursive: true, force: true });
  });

  it('writes its index file next to it when sealed', async () => {
    await writeSealedSegment();

    expect((await readdir(directory)).sort()).toEqual([Segment.indexFileName(BASE), Segment.fileName(BASE)]);
  });

  it('opens a sealed segment from its index file, reading only its last record', async () => {
    const endOffset = await writeSealedSegment();
    const scanned = await contents((await openSegment()).segment);

    const { segment, damage, bytesRead } = await openCountingReads({ endOffset, sync: false });

    expect(bytesRead).toBe(scanned.buffer.length - scanned.starts[scanned.starts.length - 1]);
    expect(damage).toBeUndefined();
    expect(segment.endOffset).toBe(endOffset);
    expect(await contents(segment)).toEqual(scanned);
  });

  it('scans the active segment whole, index file or not', async () => {
    await writeSealedSegment();

    const { bytesRead } = await openCountingReads();

    expect(bytesRead).toBe((await stat(file)).size);
  });

  describe('scans a sealed segment and writes its index file again when that file', () => {
    let endOffset: number;
    let written: Buffer;
    let scanned: { buffer: Buffer; starts: number[] };
    beforeEach(async () => {
      endOffset = await writeSealedSegment();
      written = await readFile(indexFile);
      scanned = await contents((await openSegment()).segment);
    });

    /** An index file of records at `starts` in a segment of `bytes`. */
    const indexOf = (starts: number[], bytes = scanned.buffer.length) =>
      encodeSegmentIndex(Float64Array.from(starts), { bytes, records: starts.length });
    const olderVersion = () => {
      const older = Buffer.from(written);
      older[4] = 0;
      older.writeUInt32BE(crc32(older.subarray(4)), 0);
      return older;
    };

    it.each<[string, () => Promise<void>]>([
      ['is missing', () => rm(indexFile)],
      ['is damaged', () => writeFile(indexFile, Buffer.from(written).fill(0, 40, 48))],
      ['is cut short', () => writeFile(indexFile, written.subarray(0, written.length - 8))],
      ['is from an older format version', () => writeFile(indexFile, olderVersion())],
      // What sealing wrote when the segment held two writes, had a crash kept the next segment from following.
      ['is stale', () => writeFile(indexFile, indexOf(scanned.starts.slice(0, 6), scanned.starts[6]))],
      [
        'places its last record where none starts',
        () => writeFile(indexFile, indexOf([...scanned.starts.slice(0, 8), scanned.starts[7] + MIN_RECORD_BYTES])),
      ],
      [
        'was left by a crash before its rename',
        async () => {
          await writeFile(`${indexFile}.tmp`, written.subarray(0, 30));
          await rm(indexFile);
        },
      ],
    ])('%s', async (_, spoil) => {
      await spoil();

      const { segment, damage, bytesRead } = await openCountingReads({ endOffset, sync: false });

      expect(bytesRead).toBeGreaterThanOrEqual(scanned.buffer.length);
      expect(damage).toBeUndefined();
      expect(await contents(segment)).toEqual(scanned);
      expect(await readFile(indexFile)).toEqual(written);
      expect((await readdir(directory)).sort()).toEqual([Segment.indexFileName(BASE), Segment.fileName(BASE)]);
    });
  });

  it('reports damage to the last record of a sealed segment, whose index file then does not describe it', async () => {
    const endOffset = await writeSealedSegment();
    const { starts } = await contents((await openSegment()).segment);
    await overwrite((await stat(file)).size - 1, Buffer.from('X'));

    const { segment, damage } = await openSegment({ endOffset, sync: false });

    expect(damage).toEqual({ position: starts[starts.length - 1], reason: 'CRC mismatch' });
    expect(segment.endOffset).toBe(endOffset - 1);
  });
});
