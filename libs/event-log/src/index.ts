export * from './lib/event-log.port';
export * from './lib/event-log.errors';
export { murmur2, partitionForKey } from './lib/partitioner';
export { FileEventLog } from './lib/file/file-event-log';
export type { RecoveryReport } from './lib/file/file-event-log';
export type { ConsumerErrorContext, FileEventLogOptions, FsyncPolicy } from './lib/file/file-event-log.options';
export type { Truncation } from './lib/file/partition-log';
export {
  DataDirectoryLockedError,
  LogCorruptedError,
  PartitionWriteFailedError,
} from './lib/file/file-event-log.errors';
export { KafkaEventLog } from './lib/kafka/kafka-event-log';
export { KafkaLogError } from './lib/kafka/kafka-event-log.errors';
export type { KafkaEventLogOptions } from './lib/kafka/kafka-event-log.options';
export { openEventLog } from './lib/open-event-log';
export { NamespacedEventLog } from './lib/namespaced-event-log';
export type { EventLogSettings } from './lib/open-event-log';
