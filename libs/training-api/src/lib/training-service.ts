import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Topics } from '@prov/contracts';
import { ProducerServiceDependencies, createProducerService } from '@prov/http-service';
import { DatasetsModule } from './datasets/datasets.module';
import { EvaluationsModule } from './evaluations/evaluations.module';
import { OpenLineageModule } from './openlineage/openlineage.module';
import { PipelinesModule } from './pipelines/pipelines.module';
import { RunsModule } from './runs/runs.module';
import { SlicesModule } from './slices/slices.module';
import { answerSchemas } from '@prov/sdk';
import { openLineageRunEventSchemas } from '@prov/interop';

/**
 * The training service: registers datasets, dataset versions, slices,
 * pipelines, training runs and evaluations as provenance events, and takes
 * OpenLineage RunEvents at `POST /api/v1/lineage`. It reads
 * the registry topic too, for the model versions evaluations refer to.
 */
export function createTrainingService(deps: ProducerServiceDependencies): Promise<NestFastifyApplication> {
  return createProducerService(
    {
      name: 'training-service',
      description: 'Registers datasets, dataset versions, slices, pipelines, training runs and evaluations.',
      modules: [DatasetsModule, SlicesModule, PipelinesModule, RunsModule, EvaluationsModule, OpenLineageModule],
      topics: [Topics.training],
      readsRecordsOf: [Topics.training, Topics.registry],
      answerSchemas,
      documentSchemas: openLineageRunEventSchemas(),
    },
    deps,
  );
}
