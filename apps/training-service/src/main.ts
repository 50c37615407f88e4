import { loadConfig, runProducerService } from '@prov/http-service';
import { TrainingServiceConfig, createTrainingService } from '@prov/training-api';

const config = loadConfig(TrainingServiceConfig);
runProducerService('training-service', config, config.PROV_TRAINING_PORT, createTrainingService).catch(
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
