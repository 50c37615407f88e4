import { loadConfig, runProducerService } from '@prov/http-service';
import { RegistryServiceConfig } from './registry-service.config';
import { createRegistryService } from './registry-service';

const config = loadConfig(RegistryServiceConfig);
runProducerService('registry-service', config, config.PROV_REGISTRY_PORT, createRegistryService).catch(
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
