import { loadConfig, runProducerService } from '@prov/http-service';
import { InferenceServiceConfig } from './inference-service.config';
import { createInferenceService } from './inference-service';

const config = loadConfig(InferenceServiceConfig);
runProducerService('inference-service', config, config.PROV_INFERENCE_PORT, createInferenceService).catch(
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
