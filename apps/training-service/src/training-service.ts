import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ApiKeyVerifier } from '@prov/auth';
import { DEFAULT_TOPIC_PARTITIONS, Topics } from '@prov/contracts';
import type { EventLog } from '@prov/event-log';
import { createHttpService, PublishingModule } from '@prov/http-service';
import { EnvelopeSigner, ImmutableRecordIndex, ProvenancePublisher } from '@prov/publishing';
import { DatasetsModule } from './datasets/datasets.module';
import { EvaluationsModule } from './evaluations/evaluations.module';
import { PipelinesModule } from './pipelines/pipelines.module';
import { RunsModule } from './runs/runs.module';
import { SlicesModule } from './slices/slices.module';

export interface TrainingServiceDependencies {
  log: EventLog;
  apiKeys: ApiKeyVerifier;
  signer: EnvelopeSigner;
  bodyLimitBytes: number;
}

/** Topics whose records the training service refers to: its own, and model versions for evaluations. */
const KNOWN_TOPICS = [Topics.training, Topics.registry];

/**
 * The training service: registers datasets, dataset versions, slices,
 * pipelines, training runs and evaluations as provenance events.
 */
export async function createTrainingService(deps: TrainingServiceDependencies): Promise<NestFastifyApplication> {
  await deps.log.ensureTopics(KNOWN_TOPICS.map((name) => ({ name, partitions: DEFAULT_TOPIC_PARTITIONS })));
  const records = new ImmutableRecordIndex();
  await records.catchUp(deps.log, KNOWN_TOPICS);
  const publisher = new ProvenancePublisher(deps.log, { service: 'training-service', signer: deps.signer, records });
  return createHttpService({
    name: 'training-service',
    description: 'Registers datasets, dataset versions, slices, pipelines, training runs and evaluations.',
    imports: [
      PublishingModule.forRoot(publisher, deps.log, records, KNOWN_TOPICS),
      DatasetsModule,
      SlicesModule,
      PipelinesModule,
      RunsModule,
      EvaluationsModule,
    ],
    apiKeys: deps.apiKeys,
    readinessChecks: [{ name: 'event-log', check: async () => (await deps.log.offsets(Topics.training)).length > 0 }],
    bodyLimitBytes: deps.bodyLimitBytes,
  });
}
