import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, open, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describeEventLogContract } from '../event-log.contract';
import { EventLogClosedError, OffsetOutOfRangeError, UnknownTopicError } from '../event-log.errors';
import { ConsumerHandle, LogRecord, RecordBatch } from '../event-log.port';
import { partitionForKey } from '../partitioner';
import { FileEventLog } from './file-event-log';
import { bytesReadDuring } from './file-reads.test-helper';
import { DataDirectoryLockedError, LogCorruptedError } from './file-event-log.errors';
import { FileEventLogOptions } from './file-event-log.options';

const quiet: FileEventLogOptions = { onConsumerError: () => undefined };

describeEventLogContract('FileEventLog', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'file-event-log-'));
  let log = await FileEventLog.open(directory, quiet);
  return {
    log,
    reopen: async () => {
      await log.close();
      log = await FileEventLog.open(directory, quiet);
      return log;
    },
    dispose: async () => {
      await log.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

describe('FileEventLog', () => {
  let directory: string;
  const opened: FileEventLog[] = [];
  const openLog = async (options: FileEventLogOptions = {}) => {
    const log = await FileEventLog.open(directory, { ...quiet, ...options });
    opened.push(log);
    return log;
  };
  const segmentFile = (topic: string, partition = 0, baseOffset = 0) =>
    join(directory, 'topics', topic, String(partition), `${String(baseOffset).padStart(20, '0')}.log`);
  const values = (records: LogRecord[]) => records.map((record) => record.value.toString());
  const message = (key: string, value: string) => ({ key, value: Buffer.from(value) });

  /** A closed log holding topic `t` (one partition) with one record per publish call. */
  const logWithRecords = async (...publishes: string[][]) => {
    const log = await openLog();
    await log.ensureTopics([{ name: 't', partitions: 1 }]);
    for (const batch of publishes)
      await log.publish(
        't',
        batch.map((value) => message('k', value)),
      );
    await log.close();
  };
  /** File positions of the records of `t`/0, from reading it back. */
  const recordStarts = async (count: number) => {
    const bytes = await readFile(segmentFile('t'));
    const starts = [0];
    while (starts.length < count)
      starts.push(starts[starts.length - 1] + bytes.readUInt32BE(starts[starts.length - 1]) + 4);
    return { starts, size: bytes.length };
  };

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'file-event-log-'));
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((log) => log.close()));
    await rm(directory, { recursive: true, force: true });
  });

  describe('recovery', () => {
    it('opens a cleanly closed log without truncating anything', async () => {
      await logWithRecords(['a'], ['b']);

      const log = await openLog();

      expect(log.recovery).toEqual({ truncations: [], truncatedBytes: 0 });
      expect(values(await log.read('t', 0, '0', 10))).toEqual(['a', 'b']);
    });

    it('cuts a record torn mid-way off the tail, keeps the ones before it and reuses its offset', async () => {
      await logWithRecords(['a'], ['b'], ['c']);
      const { starts, size } = await recordStarts(3);
      await truncate(segmentFile('t'), size - 10);

      const log = await openLog();

      expect(log.recovery.truncations).toEqual([
        {
          file: segmentFile('t'),
          position: starts[2],
          bytes: size - 10 - starts[2],
          reason: expect.stringMatching(/overruns/),
        },
      ]);
      expect(values(await log.read('t', 0, '0', 10))).toEqual(['a', 'b']);
      expect(await log.publish('t', [message('k', 'd')])).toEqual([{ partition: 0, offset: '2' }]);
      await log.close();
      expect(values(await (await openLog()).read('t', 0, '0', 10))).toEqual(['a', 'b', 'd']);
    });

    it('cuts garbage after the last record and reports how many bytes it cut', async () => {
      await logWithRecords(['a', 'b'], ['c']);
      const { size } = await recordStarts(3);
      await appendFile(segmentFile('t'), randomBytes(100));

      const log = await openLog();

      expect(log.recovery.truncatedBytes).toBe(100);
      expect(log.recovery.truncations[0].position).toBe(size);
      expect(values(await log.read('t', 0, '0', 10))).toEqual(['a', 'b', 'c']);
      expect((await stat(segmentFile('t'))).size).toBe(size);
    });

    it('cuts the last write at a hole the crash left in it, though later records of that write survived', async () => {
      await logWithRecords(['a'], ['b', 'c', 'd']);
      const { starts, size } = await recordStarts(4);
      // The page holding "c" never reached the disk: it reads back as zeros.
      const file = await open(segmentFile('t'), 'r+');
      await file.write(Buffer.alloc(starts[3] - starts[2]), 0, starts[3] - starts[2], starts[2]);
      await file.close();

      const log = await openLog();

      expect(log.recovery.truncations).toEqual([
        { file: segmentFile('t'), position: starts[2], bytes: size - starts[2], reason: expect.any(String) },
      ]);
      expect(values(await log.read('t', 0, '0', 10))).toEqual(['a', 'b']);
    });

    it('refuses to open a segment damaged before records of a later write, naming the file and byte', async () => {
      await logWithRecords(['a'], ['b'], ['c']);
      const { starts } = await recordStarts(3);
      const file = await open(segmentFile('t'), 'r+');
      await file.write(Buffer.from('X'), 0, 1, starts[2] - 1); // the last byte of "b"'s value
      await file.close();

      const opening = FileEventLog.open(directory, quiet);

      await expect(opening).rejects.toThrow(LogCorruptedError);
      await expect(opening).rejects.toMatchObject({ file: segmentFile('t'), position: starts[1] });
      await expect(opening).rejects.toThrow(`${segmentFile('t')} is corrupt at byte ${starts[1]}: CRC mismatch`);
      // The failed open released the directory: the same error again, not a lock error.
      await expect(FileEventLog.open(directory, quiet)).rejects.toThrow(LogCorruptedError);
    });

    it('checks every record when reading and reports damage that appeared after opening', async () => {
      await logWithRecords(['a'], ['b']);
      const log = await openLog();
      const { starts } = await recordStarts(2);
      const file = await open(segmentFile('t'), 'r+');
      await file.write(Buffer.from('X'), 0, 1, starts[1] - 1); // the last byte of "a"'s value
      await file.close();

      await expect(log.read('t', 0, '0', 10)).rejects.toThrow(LogCorruptedError);
      expect(values(await log.read('t', 0, '1', 10))).toEqual(['b']);
    });

    it('ignores a topic whose creation a crash interrupted and creates it again', async () => {
      const log = await openLog();
      await log.ensureTopics([{ name: 't', partitions: 2 }]);
      await log.close();
      await rm(join(directory, 'topics', 't', 'topic.json'));

      const reopened = await openLog();
      await expect(reopened.offsets('t')).rejects.toThrow(UnknownTopicError);
      await reopened.ensureTopics([{ name: 't', partitions: 3 }]);

      expect(await reopened.offsets('t')).toHaveLength(3);
    });
  });

  describe('index files of sealed segments', () => {
    const options: FileEventLogOptions = { segmentBytes: 1_024 };
    const expected = Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(100, '.'));
    const partitionDirectory = () => join(directory, 'topics', 't', '0');
    const indexFileOf = (segment: string) => segment.replace(/\.log$/, '.index');
    const filesEndingIn = async (suffix: string) =>
      (await readdir(partitionDirectory())).filter((name) => name.endsWith(suffix)).sort();
    /** Where each record of a segment file starts. */
    const startsIn = (bytes: Buffer) => {
      const starts: number[] = [];
      for (let at = 0; at < bytes.length; at += bytes.readUInt32BE(at) + 4) starts.push(at);
      return starts;
    };
    const lastRecordBytesOf = async (segment: string) => {
      const bytes = await readFile(segment);
      const starts = startsIn(bytes);
      return bytes.length - starts[starts.length - 1];
    };
    /** Changes the last byte of the value of the `record`th record in `segment`. */
    const damageRecord = async (segment: string, record: number) => {
      const bytes = await readFile(segment);
      const end = startsIn(bytes)[record + 1] ?? bytes.length;
      const file = await open(segment, 'r+');
      await file.write(Buffer.from('X'), 0, 1, end - 1);
      await file.close();
    };
    /** Opens the log, counting the bytes that took reading. */
    const openCountingReads = async () => {
      let log: FileEventLog | undefined;
      const bytesRead = await bytesReadDuring(async () => (log = await openLog(options)));
      return { log: log as FileEventLog, bytesRead };
    };
    /** A closed log whose `t`/0 holds `expected` in several segments; returns their files, oldest first. */
    const logWithSegments = async () => {
      const log = await openLog(options);
      await log.ensureTopics([{ name: 't', partitions: 1 }]);
      for (let call = 0; call < 10; call++) {
        await log.publish(
          't',
          expected.slice(call * 5, call * 5 + 5).map((value) => message('k', value)),
        );
      }
      await log.close();
      return (await filesEndingIn('.log')).map((name) => join(partitionDirectory(), name));
    };

    it('writes the index file of each segment that a new one follows, and none for the active one', async () => {
      const segments = await logWithSegments();

      expect(segments.length).toBeGreaterThan(3);
      expect((await filesEndingIn('.index')).map((name) => join(partitionDirectory(), name))).toEqual(
        segments.slice(0, -1).map(indexFileOf),
      );
    });

    it('reopens reading the last segment whole and of each sealed one only its last record', async () => {
      const segments = await logWithSegments();
      const lastRecordBytes = await Promise.all(segments.slice(0, -1).map(lastRecordBytesOf));
      const activeBytes = (await stat(segments[segments.length - 1])).size;

      const { log, bytesRead } = await openCountingReads();

      expect(bytesRead).toBe(activeBytes + lastRecordBytes.reduce((sum, bytes) => sum + bytes, 0));
      expect(values(await log.read('t', 0, '0', 100))).toEqual(expected);
      expect(values(await log.read('t', 0, '17', 2))).toEqual(expected.slice(17, 19));
    });

    it.each<[string, (index: string) => Promise<void>]>([
      ['missing', (index) => rm(index)],
      ['damaged', (index) => appendFile(index, Buffer.from([0]))],
      [
        'left as a temporary file by a crash before its rename',
        async (index) => {
          await writeFile(`${index}.tmp`, (await readFile(index)).subarray(0, 20));
          await rm(index);
        },
      ],
    ])('scans a sealed segment whose index file is %s and writes that file again', async (_, spoil) => {
      const [first] = await logWithSegments();
      const written = await readFile(indexFileOf(first));
      const firstBytes = (await stat(first)).size;
      const lastRecordBytes = await lastRecordBytesOf(first);
      const indexed = await openCountingReads();
      await indexed.log.close();
      await spoil(indexFileOf(first));

      const { log, bytesRead } = await openCountingReads();

      expect(bytesRead).toBe(indexed.bytesRead - lastRecordBytes + firstBytes);
      expect(values(await log.read('t', 0, '0', 100))).toEqual(expected);
      expect(await readFile(indexFileOf(first))).toEqual(written);
      expect(await filesEndingIn('.tmp')).toEqual([]);
      await log.close();
      expect((await openCountingReads()).bytesRead).toBe(indexed.bytesRead);
    });

    it('seals a segment whose index file a crash interrupted when the next roll comes', async () => {
      const segments = await logWithSegments();
      // The crash came while rolling to the last segment: the one before it is active again, its index unrenamed.
      const [sealedBefore, lastBefore] = segments.slice(-2);
      const kept = expected.length - startsIn(await readFile(lastBefore)).length;
      await rm(lastBefore);
      await writeFile(`${indexFileOf(sealedBefore)}.tmp`, Buffer.from('half an index'));
      await rm(indexFileOf(sealedBefore));

      const log = await openLog(options);
      expect(values(await log.read('t', 0, '0', 100))).toEqual(expected.slice(0, kept));
      await log.publish(
        't',
        expected.slice(kept).map((value) => message('k', value)),
      );
      await log.close();

      expect(await filesEndingIn('.tmp')).toEqual([]);
      expect(await filesEndingIn('.index')).toContain(basename(indexFileOf(sealedBefore)));
      expect(values(await (await openLog(options)).read('t', 0, '0', 100))).toEqual(expected);
    });

    it('opens a sealed segment damaged before its last record; reading that record finds the damage', async () => {
      const [first] = await logWithSegments();
      await damageRecord(first, 0);

      const log = await openLog(options);

      await expect(log.read('t', 0, '0', 100)).rejects.toMatchObject({
        name: 'LogCorruptedError',
        file: first,
        position: 0,
        reason: 'CRC mismatch',
      });
      expect(values(await log.read('t', 0, '1', 100))).toEqual(expected.slice(1));
    });

    it.each<[string, (starts: number[]) => number, boolean]>([
      ['its last record is damaged', (starts) => starts.length - 1, false],
      ['a record is damaged and it has no index file', () => 0, true],
    ])('refuses to open a sealed segment when %s, as before index files', async (_, damaged, withoutIndex) => {
      const [first] = await logWithSegments();
      const starts = startsIn(await readFile(first));
      await damageRecord(first, damaged(starts));
      if (withoutIndex) await rm(indexFileOf(first));

      await expect(FileEventLog.open(directory, { ...quiet, ...options })).rejects.toThrow(
        `${first} is corrupt at byte ${starts[damaged(starts)]}: CRC mismatch, and later segments follow`,
      );
    });
  });

  describe('data directory lock', () => {
    let child: ChildProcess | undefined;

    afterEach(() => {
      child?.kill();
      child = undefined;
    });

    it('refuses a second open of a directory that is open, and allows it after close', async () => {
      const first = await openLog();

      await expect(FileEventLog.open(directory, quiet)).rejects.toThrow(DataDirectoryLockedError);
      await expect(FileEventLog.open(directory, quiet)).rejects.toThrow(`in use by process ${process.pid}`);
      await first.close();

      await expect(openLog()).resolves.toBeInstanceOf(FileEventLog);
    });

    it('refuses a lock held by another live process, naming its pid', async () => {
      child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      await writeFile(join(directory, 'LOCK'), `${child.pid}\n`);

      await expect(FileEventLog.open(directory, quiet)).rejects.toMatchObject({
        name: 'DataDirectoryLockedError',
        pid: child.pid,
      });
    });

    it('takes over a lock left by a process that died', async () => {
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      await writeFile(join(directory, 'LOCK'), `${dead}\n`);

      await openLog();

      expect((await readFile(join(directory, 'LOCK'), 'utf8')).trim()).toBe(String(process.pid));
      expect((await readdir(directory)).sort()).toEqual(['LOCK', 'groups', 'topics']);
    });

    it('takes over a lock of a process that ended and nobody reaped (a zombie)', async () => {
      // The shell starts a short child, then becomes `sleep`, which never reaps it once it ends.
      child = spawn('bash', ['-c', 'sleep 0.2 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
      const zombie = await new Promise<string>((resolve) =>
        child?.stdout?.once('data', (d) => resolve(String(d).trim())),
      );
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect((await readFile(`/proc/${zombie}/stat`, 'utf8')).split(') ')[1][0]).toBe('Z');
      await writeFile(join(directory, 'LOCK'), `${zombie}\n`);

      await openLog();

      expect((await readFile(join(directory, 'LOCK'), 'utf8')).trim()).toBe(String(process.pid));
    });

    it('removes the lock on close', async () => {
      const log = await openLog();
      await log.close();

      expect(await readdir(directory)).not.toContain('LOCK');
    });
  });

  describe('writing', () => {
    it.each<[string, FileEventLogOptions['fsync']]>([
      ['always', 'always'],
      ['never', 'never'],
      ['every 20 ms', { intervalMs: 20 }],
    ])('keeps every record across a clean close with fsync %s', async (_, fsync) => {
      const log = await openLog({ fsync });
      await log.ensureTopics([{ name: 't', partitions: 3 }]);
      const published = await log.publish(
        't',
        Array.from({ length: 100 }, (_, i) => message(`key-${i}`, `v${i}`)),
      );
      await log.close();

      const reopened = await openLog();
      const records = (
        await Promise.all([0, 1, 2].map((partition) => reopened.read('t', partition, '0', 1_000)))
      ).flat();

      expect(records.map((r) => `${r.partition}:${r.offset}:${r.value}`).sort()).toEqual(
        published.map((p, i) => `${p.partition}:${p.offset}:v${i}`).sort(),
      );
    });

    it('gives concurrent publishes to one partition dense offsets in call order', async () => {
      const log = await openLog();
      await log.ensureTopics([{ name: 't', partitions: 1 }]);

      const published = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          log.publish('t', [message('k', `first-${i}`), message('k', `second-${i}`)]),
        ),
      );

      expect(published.map((positions) => positions.map((p) => p.offset))).toEqual(
        Array.from({ length: 20 }, (_, i) => [String(2 * i), String(2 * i + 1)]),
      );
      expect(values(await log.read('t', 0, '0', 100))).toEqual(
        Array.from({ length: 20 }, (_, i) => [`first-${i}`, `second-${i}`]).flat(),
      );
    });

    it('starts a new segment past segmentBytes and reads across segments, also after reopening', async () => {
      const log = await openLog({ segmentBytes: 1_024 });
      await log.ensureTopics([{ name: 't', partitions: 1 }]);
      for (let call = 0; call < 10; call++) {
        await log.publish(
          't',
          Array.from({ length: 5 }, (_, i) => message('k', `${call * 5 + i}`.padEnd(100, '.'))),
        );
      }
      const expected = Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(100, '.'));

      expect((await readdir(join(directory, 'topics', 't', '0'))).length).toBeGreaterThan(3);
      expect(values(await log.read('t', 0, '3', 100))).toEqual(expected.slice(3));
      await log.close();
      const reopened = await openLog({ segmentBytes: 1_024 });
      expect(values(await reopened.read('t', 0, '0', 100))).toEqual(expected);
      expect(values(await reopened.read('t', 0, '17', 2))).toEqual(expected.slice(17, 19));
    });

    it('holds as many bytes on disk as its segment and index files, across segments and after a torn tail is cut', async () => {
      const log = await openLog({ segmentBytes: 1_024 });
      await log.ensureTopics([
        { name: 't', partitions: 2 },
        { name: 'u', partitions: 1 },
      ]);
      for (let call = 0; call < 10; call++) {
        await log.publish(
          't',
          Array.from({ length: 5 }, (_, i) => message(`k${i}`, `${call * 5 + i}`.padEnd(100, '.'))),
        );
      }
      const filesOf = async (topic: string, partitions: number) => {
        let bytes = 0;
        for (let partition = 0; partition < partitions; partition++) {
          const partitionDirectory = join(directory, 'topics', topic, String(partition));
          for (const file of await readdir(partitionDirectory))
            bytes += (await stat(join(partitionDirectory, file))).size;
        }
        return bytes;
      };

      expect((await log.holdings(['t', 'u'])).topics).toEqual([
        { topic: 't', partitions: 2, records: 50, bytesOnDisk: await filesOf('t', 2) },
        { topic: 'u', partitions: 1, records: 0, bytesOnDisk: 0 },
      ]);
      expect((await readdir(join(directory, 'topics', 't', '0'))).length).toBeGreaterThan(1);
      await log.close();
      await expect(log.holdings(['t'])).rejects.toThrow(EventLogClosedError);

      // A torn write at the end of a partition's last segment is cut on open, and counted neither way.
      const segments = (await readdir(join(directory, 'topics', 't', '0'))).sort();
      const before = await filesOf('t', 2);
      await appendFile(join(directory, 'topics', 't', '0', segments[segments.length - 1]), randomBytes(50));
      const reopened = await openLog({ segmentBytes: 1_024 });
      expect(reopened.recovery.truncatedBytes).toBe(50);
      expect((await reopened.holdings(['t'])).topics).toEqual([
        { topic: 't', partitions: 2, records: 50, bytesOnDisk: before },
      ]);
    });

    it('refuses unknown topics and partitions, offsets past the end, and use after close', async () => {
      const log = await openLog();
      await log.ensureTopics([{ name: 't', partitions: 1 }]);

      await expect(log.publish('missing', [message('k', 'v')])).rejects.toThrow(UnknownTopicError);
      await expect(log.read('t', 1, '0', 1)).rejects.toThrow(UnknownTopicError);
      await expect(log.read('t', 0, '1', 1)).rejects.toThrow(OffsetOutOfRangeError);
      await expect(log.ensureTopics([{ name: 'bad/name', partitions: 1 }])).rejects.toThrow('invalid topic');
      await log.close();
      await expect(log.publish('t', [message('k', 'v')])).rejects.toThrow(EventLogClosedError);
    });
  });

  describe('consumer groups', () => {
    it("shares a group's partitions among its live consumers, and hands a stopped one's partitions over", async () => {
      const log = await openLog();
      await log.ensureTopics([{ name: 't', partitions: 4 }]);
      const handledBy = new Map<string, string>();
      const byConsumer = (name: string) => async (batch: RecordBatch, consumer: ConsumerHandle) => {
        for (const record of batch.records) handledBy.set(record.value.toString(), `${name}:${record.partition}`);
        await consumer.commit([
          { topic: 't', partition: batch.partition, offset: String(Number(batch.records.at(-1)?.offset) + 1) },
        ]);
      };
      const first = await log.consume({ groupId: 'g', topics: ['t'], onBatch: byConsumer('first') });
      const second = await log.consume({ groupId: 'g', topics: ['t'], onBatch: byConsumer('second') });
      const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);

      await log.publish(
        't',
        keys.map((key) => message(key, key)),
      );
      await waitUntil(() => handledBy.size === 40);

      // Range assignment: the first member takes partitions 0 and 1, the second 2 and 3.
      for (const key of keys) {
        const partition = partitionForKey(key, 4);
        expect(handledBy.get(key)).toBe(`${partition < 2 ? 'first' : 'second'}:${partition}`);
      }

      await second.stop();
      await log.publish(
        't',
        keys.map((key) => message(key, `${key}-again`)),
      );
      await waitUntil(() => keys.every((key) => handledBy.has(`${key}-again`)));

      for (const key of keys) expect(handledBy.get(`${key}-again`)).toMatch(/^first:/);
      await first.stop();
    });

    it('keeps committed offsets in one file per group, replaced atomically', async () => {
      const log = await openLog();
      await log.ensureTopics([{ name: 't', partitions: 2 }]);
      await log.publish('t', [message('k', 'v')]);
      const consumer = await log.consume({
        groupId: 'group/with odd:chars',
        topics: ['t'],
        onBatch: async () => undefined,
      });

      await consumer.commit([{ topic: 't', partition: 1, offset: '1' }]);
      await consumer.commit([{ topic: 't', partition: 0, offset: '0' }]);

      expect(await readdir(join(directory, 'groups'))).toEqual(['group%2Fwith%20odd%3Achars.json']);
      expect(JSON.parse(await readFile(join(directory, 'groups', 'group%2Fwith%20odd%3Achars.json'), 'utf8'))).toEqual({
        groupId: 'group/with odd:chars',
        offsets: { t: { '0': '0', '1': '1' } },
      });
      await expect(consumer.commit([{ topic: 't', partition: 0, offset: '-1' }])).rejects.toThrow(
        'not the decimal string',
      );
      await expect(consumer.commit([{ topic: 't', partition: 2, offset: '0' }])).rejects.toThrow(UnknownTopicError);
    });

    it('tells onConsumerError about a failing handler and keeps delivering the same batch', async () => {
      const errors: Array<{ message: string; offset: string }> = [];
      const log = await openLog({
        onConsumerError: (error, { offset }) => errors.push({ message: (error as Error).message, offset }),
      });
      await log.ensureTopics([{ name: 't', partitions: 1 }]);
      await log.publish('t', [message('k', 'a'), message('k', 'b')]);
      let attempts = 0;

      await log.consume({
        groupId: 'g',
        topics: ['t'],
        onBatch: async () => {
          attempts++;
          if (attempts <= 2) throw new Error(`attempt ${attempts} fails`);
        },
      });
      await waitUntil(() => attempts >= 3);

      expect(errors).toEqual([
        { message: 'attempt 1 fails', offset: '0' },
        { message: 'attempt 2 fails', offset: '0' },
      ]);
    });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
