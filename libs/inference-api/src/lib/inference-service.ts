import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Topics, compileCurrentPayloadValidator } from '@prov/contracts';
import type { ProvenancePolicy } from '@prov/governance';
import type { KeyEncryptionKeys, SubjectKeyStore } from '@prov/lineage-store';
import { ProducerServiceDependencies, createProducerService } from '@prov/http-service';
import type { KnownPredictions } from './predictions/known-predictions.port';
import { PredictionsModule } from './predictions/predictions.module';
import { DEFAULT_RECENT_PREDICTIONS } from './predictions/recent-predictions';
import { DEFAULT_MAX_OUTPUT_BYTES } from './predictions/output-size';
import { answerSchemas } from '@prov/sdk';

export interface InferenceServiceOptions {
  /** The provenance policies: deployments allowed only output digests get raw outputs refused. */
  policies: readonly ProvenancePolicy[];
  /** The data subjects' keys and the key-encryption keys that wrap them; without them, no prediction may name a data subject. */
  subjectKeys?: { store: SubjectKeyStore; keks: KeyEncryptionKeys };
  /** How many recently published prediction ids are remembered to answer re-sends (PROV_RECENT_PREDICTIONS); 0: none. */
  recentPredictions?: number;
  /** What was recorded under ids the service does not remember; without it, those ids count as new. */
  knownPredictions?: KnownPredictions;
  /** Largest raw `output` of one prediction, in bytes of its JSON (PROV_MAX_OUTPUT_BYTES, 64 KiB by default). */
  maxOutputBytes?: number;
}

/**
 * The inference service: takes batches of predictions from serving
 * processes and publishes each batch as one event. Predictions for unknown
 * model versions are accepted (late registration happens) and raise alerts
 * downstream, so it reads no other topic. A prediction recorded before is not
 * published again: a re-send with the same content is answered as a
 * duplicate, one with other content is refused. Deployments that a policy
 * allows only output digests (`outputs: digest-only`) have raw outputs
 * refused. Predictions about a data subject are sealed with the subject's key
 * from `subjectKeys`, and a data steward erases a subject by destroying its keys.
 */
export function createInferenceService(
  deps: ProducerServiceDependencies,
  options: InferenceServiceOptions,
): Promise<NestFastifyApplication> {
  return createProducerService(
    {
      name: 'inference-service',
      description: 'Records batches of predictions with the model version and artifact that made them.',
      modules: [
        PredictionsModule.with({
          ...options,
          recentPredictions: options.recentPredictions ?? DEFAULT_RECENT_PREDICTIONS,
          maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
        }),
      ],
      topics: [Topics.inference],
      readsRecordsOf: [],
      answerSchemas,
      payloadValidators: {
        'prediction.batch.recorded': compileCurrentPayloadValidator('prediction.batch.recorded'),
        'privacy.subject.erased': compileCurrentPayloadValidator('privacy.subject.erased'),
      },
    },
    deps,
  );
}
