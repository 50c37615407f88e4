import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Topics, compileCurrentPayloadValidator } from '@prov/contracts';
import type { ProvenancePolicy } from '@prov/governance';
import type { SubjectKeyStore } from '@prov/lineage-store';
import { ProducerServiceDependencies, createProducerService } from '@prov/http-service';
import { PredictionsModule } from './predictions/predictions.module';

/**
 * The inference service: takes batches of predictions from serving
 * processes and publishes each batch as one event. Predictions for unknown
 * model versions are accepted (late registration happens) and raise alerts
 * downstream, so it reads no other topic. Deployments that a policy allows
 * only output digests (`outputs: digest-only`) have raw outputs refused.
 * Predictions about a data subject are sealed with the subject's key from
 * `subjectKeys`, and a data steward erases a subject by destroying its keys.
 */
export function createInferenceService(
  deps: ProducerServiceDependencies,
  policies: readonly ProvenancePolicy[],
  subjectKeys?: SubjectKeyStore,
): Promise<NestFastifyApplication> {
  return createProducerService(
    {
      name: 'inference-service',
      description: 'Records batches of predictions with the model version and artifact that made them.',
      modules: [PredictionsModule.with(policies, subjectKeys)],
      topics: [Topics.inference],
      readsRecordsOf: [],
      payloadValidators: {
        'prediction.batch.recorded': compileCurrentPayloadValidator('prediction.batch.recorded'),
        'privacy.subject.erased': compileCurrentPayloadValidator('privacy.subject.erased'),
      },
    },
    deps,
  );
}
