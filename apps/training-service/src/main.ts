import { loadConfig, runProducerService } from '@prov/http-service';
import { TrainingServiceConfig } from './training-service.config';
import { createTrainingService } from './training-service';

const config = loadConfig(TrainingServiceConfig);
runProducerService('training-service', config, config.PROV_TRAINING_PORT, createTrainingService).catch(
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
