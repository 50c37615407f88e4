import type { EventLog } from './event-log.port';
import { FileEventLog } from './file/file-event-log';
import type { FileEventLogOptions } from './file/file-event-log.options';
import { KafkaEventLog, KafkaEventLogOptions } from './kafka/kafka-event-log';

/** Which event log to open: the embedded file log, or Kafka in production. */
export type EventLogSettings =
  ({ kind: 'file'; directory: string } & FileEventLogOptions) | ({ kind: 'kafka' } & KafkaEventLogOptions);

export async function openEventLog(settings: EventLogSettings): Promise<EventLog> {
  if (settings.kind === 'file') {
    const { kind: _kind, directory, ...options } = settings;
    return FileEventLog.open(directory, options);
  }
  const { kind: _kind, ...options } = settings;
  return KafkaEventLog.connect(options);
}
