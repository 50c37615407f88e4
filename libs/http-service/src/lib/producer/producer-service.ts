import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ApiKeyVerifier } from '@prov/auth';
import { DEFAULT_TOPIC_PARTITIONS, TopicName } from '@prov/contracts';
import type { EventLog } from '@prov/event-log';
import { EnvelopeSigner, ImmutableRecordIndex, ProvenancePublisher } from '@prov/publishing';
import { createHttpService } from '../http-service';
import { PublishingModule } from './publishing.module';

export interface ProducerServiceDependencies {
  log: EventLog;
  apiKeys: ApiKeyVerifier;
  signer: EnvelopeSigner;
  bodyLimitBytes: number;
}

export interface ProducerServiceDefinition {
  name: string;
  description: string;
  modules: Array<Type | DynamicModule>;
  /** The topics whose records the service publishes or refers to (created if missing, read at start). */
  topics: TopicName[];
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
  await deps.log.ensureTopics(definition.topics.map((name) => ({ name, partitions: DEFAULT_TOPIC_PARTITIONS })));
  const records = new ImmutableRecordIndex();
  await records.catchUp(deps.log, definition.topics);
  const publisher = new ProvenancePublisher(deps.log, { service: definition.name, signer: deps.signer, records });
  return createHttpService({
    name: definition.name,
    description: definition.description,
    imports: [PublishingModule.forRoot(publisher, deps.log, records, definition.topics), ...definition.modules],
    apiKeys: deps.apiKeys,
    readinessChecks: [
      { name: 'event-log', check: async () => (await deps.log.offsets(definition.topics[0])).length > 0 },
    ],
    bodyLimitBytes: deps.bodyLimitBytes,
  });
}
