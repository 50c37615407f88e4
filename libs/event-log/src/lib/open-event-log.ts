import type { EventLog } from './event-log.port';
import { FileEventLog } from './file/file-event-log';
import { NamespacedEventLog } from './namespaced-event-log';
import type { FileEventLogOptions } from './file/file-event-log.options';
import { KafkaEventLog, KafkaEventLogOptions } from './kafka/kafka-event-log';

/**
 * Which event log to open: the embedded file log, or Kafka in production;
 * with `topicPrefix`, its topics live under that prefix (NamespacedEventLog).
 */
export type EventLogSettings = (
  ({ kind: 'file'; directory: string } & FileEventLogOptions) | ({ kind: 'kafka' } & KafkaEventLogOptions)
) & { topicPrefix?: string };

export async function openEventLog(settings: EventLogSettings): Promise<EventLog> {
  const { topicPrefix, ...rest } = settings;
  const log = await openUnprefixed(rest as EventLogSettings);
  return topicPrefix ? new NamespacedEventLog(log, topicPrefix) : log;
}

async function openUnprefixed(settings: EventLogSettings): Promise<EventLog> {
  if (settings.kind === 'file') {
    const { kind: _kind, directory, ...options } = settings;
    return FileEventLog.open(directory, options);
  }
  const { kind: _kind, ...options } = settings;
  return KafkaEventLog.connect(options);
}
