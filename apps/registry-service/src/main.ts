import { loadConfig, runProducerService } from '@prov/http-service';
import { RegistryServiceConfig, createRegistryService } from '@prov/registry-api';

const config = loadConfig(RegistryServiceConfig);
runProducerService('registry-service', config, config.PROV_REGISTRY_PORT, createRegistryService).catch(
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
