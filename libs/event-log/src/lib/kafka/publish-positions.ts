import type { PublishedRecord } from '../event-log.port';
import { KafkaLogError } from './kafka-event-log.errors';

/** One publish call inside a produce request: its topic and each message's partition, in input order. */
export interface PublishInRequest {
  topic: string;
  partitions: number[];
}

/** What Kafka acknowledges per partition of a produce request (kafkajs's RecordMetadata). */
export interface PartitionAck {
  topicName: string;
  partition: number;
  baseOffset?: string;
}

/**
 * The position of every message of the publishes that went out together in
 * one produce request. Kafka acknowledges one base offset per partition: the
 * request holds one record batch per partition, with that partition's
 * messages in request order (the publishes in turn, each in input order), so
 * the n-th message of a partition got base offset + n.
 */
export function positionsInRequest(publishes: PublishInRequest[], acks: PartitionAck[]): PublishedRecord[][] {
  const next = new Map<string, bigint>();
  for (const ack of acks) {
    if (ack.baseOffset !== undefined && ack.baseOffset !== '-1') {
      next.set(`${ack.topicName}/${ack.partition}`, BigInt(ack.baseOffset));
    }
  }
  return publishes.map(({ topic, partitions }) =>
    partitions.map((partition) => {
      const key = `${topic}/${partition}`;
      const offset = next.get(key);
      // Without its base offset the batch's fate is unknown: the caller must treat it as not written.
      if (offset === undefined) throw new KafkaLogError(`Kafka acknowledged no offset for ${key}`, true);
      next.set(key, offset + 1n);
      return { partition, offset: offset.toString() };
    }),
  );
}
