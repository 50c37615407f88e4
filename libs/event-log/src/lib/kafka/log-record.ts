import type { KafkaMessage } from 'kafkajs';
import type { LogRecord } from '../event-log.port';

/** A fetched Kafka record as the port's LogRecord. */
export function toLogRecord(topic: string, partition: number, message: KafkaMessage): LogRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    // Kafka allows a header name twice; the port keeps one value per name: the last, as Java's lastHeader.
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    headers[name] = last.toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? '',
    value: message.value ?? Buffer.alloc(0),
    headers,
    timestamp: Number(message.timestamp),
  };
}
