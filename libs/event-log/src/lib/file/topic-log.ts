import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidTopicError } from '../event-log.errors';
import { syncDirectory, writeFileAtomically } from './durable-files';
import { LogCorruptedError } from './file-event-log.errors';
import { FileEventLogSettings } from './file-event-log.options';
import { PartitionLog, Truncation } from './partition-log';

const METADATA_FILE = 'topic.json';
/** Kafka's rule for topic names, which also makes them safe directory names. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const MAX_PARTITIONS = 10_000;

type TopicSettings = Pick<FileEventLogSettings, 'sync' | 'segmentBytes'>;

/**
 * A topic's directory: `topic.json` (its partition count) and one directory
 * of segments per partition. `topic.json` is written last, so a directory
 * without it is a creation a crash interrupted, and holds nothing.
 */
export class TopicLog {
  private constructor(
    readonly name: string,
    readonly partitions: PartitionLog[],
  ) {}

  static assertValid(name: string, partitions: number): void {
    if (typeof name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') {
      throw new InvalidTopicError(String(name), 'a topic name is 1 to 249 of the characters a-z A-Z 0-9 . _ -');
    }
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new InvalidTopicError(name, `the partition count must be an integer from 1 to ${MAX_PARTITIONS}`);
    }
  }

  static async create(
    topicsDirectory: string,
    name: string,
    partitionCount: number,
    settings: TopicSettings,
    onAppend: () => void,
  ): Promise<TopicLog> {
    const directory = join(topicsDirectory, name);
    await rm(directory, { recursive: true, force: true });
    await mkdir(directory);
    const partitions = await Promise.all(
      Array.from({ length: partitionCount }, (_, partition) =>
        PartitionLog.create(join(directory, String(partition)), name, partition, settings, onAppend),
      ),
    );
    const sync = settings.sync !== 'never';
    if (sync) await syncDirectory(directory);
    await writeFileAtomically(
      join(directory, METADATA_FILE),
      JSON.stringify({ name, partitions: partitionCount }),
      sync,
    );
    if (sync) await syncDirectory(topicsDirectory);
    return new TopicLog(name, partitions);
  }

  /** Opens a topic directory, or returns undefined for an unfinished creation. */
  static async open(
    topicsDirectory: string,
    name: string,
    settings: TopicSettings,
    onAppend: () => void,
  ): Promise<{ topic: TopicLog; truncations: Truncation[] } | undefined> {
    const directory = join(topicsDirectory, name);
    const metadataFile = join(directory, METADATA_FILE);
    let metadata: unknown;
    try {
      metadata = JSON.parse(await readFile(metadataFile, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new LogCorruptedError(metadataFile, 0, `unreadable topic metadata (${(error as Error).message})`);
    }
    const partitionCount = (metadata as { partitions?: unknown }).partitions;
    if ((metadata as { name?: unknown }).name !== name || typeof partitionCount !== 'number') {
      throw new LogCorruptedError(metadataFile, 0, 'topic metadata does not name this topic and its partition count');
    }
    const opened: PartitionLog[] = [];
    const truncations: Truncation[] = [];
    try {
      for (let partition = 0; partition < partitionCount; partition++) {
        const { log, truncation } = await PartitionLog.open(
          join(directory, String(partition)),
          name,
          partition,
          settings,
          onAppend,
        );
        opened.push(log);
        if (truncation) truncations.push(truncation);
      }
    } catch (error) {
      await Promise.all(opened.map((partition) => partition.close()));
      throw error;
    }
    return { topic: new TopicLog(name, opened), truncations };
  }

  async close(): Promise<void> {
    await Promise.all(this.partitions.map((partition) => partition.close()));
  }
}
