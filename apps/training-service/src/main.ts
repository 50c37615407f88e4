import { loadConfig, runProducerService } from '@prov/http-service';
import { startLogging } from '@prov/logging';
import { TrainingServiceConfig, createTrainingService } from '@prov/training-api';

async function main(): Promise<void> {
  const config = loadConfig(TrainingServiceConfig);
  await runProducerService('training-service', config, config.PROV_TRAINING_PORT, createTrainingService);
}

const logger = startLogging('training-service');
main().catch((error: Error) => {
  logger.fatal(error.message);
  process.exit(1);
});
