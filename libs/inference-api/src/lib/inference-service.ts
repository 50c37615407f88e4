import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PredictionBatchRecordedV1, Topics, compileClassValidator } from '@prov/contracts';
import { ProducerServiceDependencies, createProducerService } from '@prov/http-service';
import { PredictionsModule } from './predictions/predictions.module';

/**
 * The inference service: takes batches of predictions from serving
 * processes and publishes each batch as one event. Predictions for unknown
 * model versions are accepted (late registration happens) and raise alerts
 * downstream, so it reads no other topic.
 */
export function createInferenceService(deps: ProducerServiceDependencies): Promise<NestFastifyApplication> {
  return createProducerService(
    {
      name: 'inference-service',
      description: 'Records batches of predictions with the model version and artifact that made them.',
      modules: [PredictionsModule],
      topics: [Topics.inference],
      readsRecordsOf: [],
      payloadValidators: { 'prediction.batch.recorded': compileClassValidator(PredictionBatchRecordedV1, 'payload') },
    },
    deps,
  );
}
