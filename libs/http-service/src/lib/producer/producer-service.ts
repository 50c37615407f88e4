import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ApiKeyVerifier } from '@prov/auth';
import { DEFAULT_TOPIC_PARTITIONS, EventType, SchemaValidator, TopicName } from '@prov/contracts';
import type { EventLog } from '@prov/event-log';
import { EnvelopeSigner, ImmutableRecordIndex, ProvenancePublisher } from '@prov/publishing';
import { HttpServiceOptions, createHttpService } from '../http-service';
import { PublishingModule } from './publishing.module';

export interface ProducerServiceDependencies {
  log: EventLog;
  apiKeys: ApiKeyVerifier;
  signer: EnvelopeSigner;
  bodyLimitBytes: number;
  /** The largest JSON of one value of a free-form map (PROV_MAX_FIELD_BYTES). */
  maxFieldBytes?: number;
}

export interface ProducerServiceDefinition {
  name: string;
  description: string;
  modules: Array<Type | DynamicModule>;
  /** The topics the service publishes to (created if missing). */
  topics: TopicName[];
  /** The topics whose immutable records it checks requests against (read at start, caught up on a miss). */
  readsRecordsOf: TopicName[];
  /** Compiled payload validators for the service's hot-path event types (see ProvenancePublisher). */
  payloadValidators?: Partial<Record<EventType, SchemaValidator>>;
  /** The schemas of the answers its routes name (the SDK's `answerSchemas`), and any others they refer to. */
  answerSchemas?: HttpServiceOptions['answerSchemas'];
  documentSchemas?: HttpServiceOptions['documentSchemas'];
}

/**
 * A service that publishes provenance events: the shared HTTP base plus the
 * publisher, with the immutable records of its topics read from the log
 * before it takes requests.
 */
export async function createProducerService(
  definition: ProducerServiceDefinition,
  deps: ProducerServiceDependencies,
): Promise<NestFastifyApplication> {
  const topics = [...new Set([...definition.topics, ...definition.readsRecordsOf])];
  await deps.log.ensureTopics(topics.map((name) => ({ name, partitions: DEFAULT_TOPIC_PARTITIONS })));
  const records = new ImmutableRecordIndex();
  await records.catchUp(deps.log, definition.readsRecordsOf);
  const publisher = new ProvenancePublisher(deps.log, {
    service: definition.name,
    signer: deps.signer,
    records,
    payloadValidators: definition.payloadValidators,
  });
  return createHttpService({
    name: definition.name,
    description: definition.description,
    imports: [PublishingModule.forRoot(publisher, deps.log, records, definition.readsRecordsOf), ...definition.modules],
    apiKeys: deps.apiKeys,
    readinessChecks: [
      { name: 'event-log', check: async () => (await deps.log.offsets(definition.topics[0])).length > 0 },
    ],
    bodyLimitBytes: deps.bodyLimitBytes,
    maxFieldBytes: deps.maxFieldBytes,
    answerSchemas: definition.answerSchemas,
    documentSchemas: definition.documentSchemas,
  });
}
