/**
 * Kafka topic names. Retention is forever; every topic
 * is keyed by the event's subject so that each entity's events stay ordered.
 */
export const Topics = {
  training: 'provenance.training.v1',
  registry: 'provenance.registry.v1',
  inference: 'provenance.inference.v1',
  deadLetter: 'provenance.deadletter.v1',
  audit: 'provenance.audit.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly TopicName[] = Object.values(Topics);

/**
 * Partitions of each provenance topic when the platform creates it: enough
 * for several projector instances; ordering is only needed per subject.
 */
export const DEFAULT_TOPIC_PARTITIONS = 6;
