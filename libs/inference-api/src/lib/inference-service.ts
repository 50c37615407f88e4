import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PredictionBatchRecordedV1, Topics, compileClassValidator } from '@prov/contracts';
import type { ProvenancePolicy } from '@prov/governance';
import { ProducerServiceDependencies, createProducerService } from '@prov/http-service';
import { PredictionsModule } from './predictions/predictions.module';

/**
 * The inference service: takes batches of predictions from serving
 * processes and publishes each batch as one event. Predictions for unknown
 * model versions are accepted (late registration happens) and raise alerts
 * downstream, so it reads no other topic. Deployments that a policy allows
 * only output digests (`outputs: digest-only`) have raw outputs refused.
 */
export function createInferenceService(
  deps: ProducerServiceDependencies,
  policies: readonly ProvenancePolicy[],
): Promise<NestFastifyApplication> {
  return createProducerService(
    {
      name: 'inference-service',
      description: 'Records batches of predictions with the model version and artifact that made them.',
      modules: [PredictionsModule.with(policies)],
      topics: [Topics.inference],
      readsRecordsOf: [],
      payloadValidators: { 'prediction.batch.recorded': compileClassValidator(PredictionBatchRecordedV1, 'payload') },
    },
    deps,
  );
}
