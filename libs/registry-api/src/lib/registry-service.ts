import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Topics } from '@prov/contracts';
import { ProducerServiceDependencies, createProducerService } from '@prov/http-service';
import { DeploymentsModule } from './deployments/deployments.module';
import { ModelVersionsModule } from './model-versions/model-versions.module';

/**
 * The registry service: registers model versions (each produced by a
 * training run), revokes them, and records deployments and their revisions.
 * It reads the training topic too, for the runs model versions come from.
 */
export function createRegistryService(deps: ProducerServiceDependencies): Promise<NestFastifyApplication> {
  return createProducerService(
    {
      name: 'registry-service',
      description: 'Registers model versions and revocations, deployments and their revisions.',
      modules: [ModelVersionsModule, DeploymentsModule],
      topics: [Topics.registry],
      readsRecordsOf: [Topics.registry, Topics.training],
    },
    deps,
  );
}
