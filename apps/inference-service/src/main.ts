import { loadConfig, runProducerService } from '@prov/http-service';
import { InferenceServiceConfig, createInferenceService } from '@prov/inference-api';

const config = loadConfig(InferenceServiceConfig);
runProducerService('inference-service', config, config.PROV_INFERENCE_PORT, createInferenceService).catch(
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
