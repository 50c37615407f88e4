import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Topics } from '@prov/contracts';
import { ProducerServiceDependencies, createProducerService } from '@prov/http-service';
import { DeploymentsModule } from './deployments/deployments.module';
import { ModelVersionsModule } from './model-versions/model-versions.module';
import type { PolicyCheck, PromotionPolicies } from './promotions/policy-check.port';
import { PromotionsModule } from './promotions/promotions.module';
import { answerSchemas } from '@prov/sdk';

/** What promotions are checked with: the policies that may apply, and where they are evaluated. */
export interface PromotionDependencies {
  policies: PromotionPolicies;
  check: PolicyCheck;
}

/**
 * The registry service: registers model versions (each produced by a
 * training run), moves them between stages under the provenance policies,
 * revokes them, and records deployments and their revisions. It reads the
 * training topic too, for the runs model versions come from.
 */
export function createRegistryService(
  deps: ProducerServiceDependencies,
  promotions: PromotionDependencies,
): Promise<NestFastifyApplication> {
  return createProducerService(
    {
      name: 'registry-service',
      description: 'Registers model versions, their promotions and revocations, deployments and their revisions.',
      modules: [ModelVersionsModule, PromotionsModule.with(promotions.policies, promotions.check), DeploymentsModule],
      topics: [Topics.registry],
      readsRecordsOf: [Topics.registry, Topics.training],
      answerSchemas,
    },
    deps,
  );
}
