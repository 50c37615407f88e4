import { loadConfig, runProducerService } from '@prov/http-service';
import { startLogging } from '@prov/logging';
import { PolicyCatalog } from '@prov/policy-directory';
import { GatewayPolicyCheck, RegistryServiceConfig, createRegistryService } from '@prov/registry-api';

async function main(): Promise<void> {
  const config = loadConfig(RegistryServiceConfig);
  if (config.PROV_POLICY_DIR && !config.PROV_GATEWAY_API_KEY)
    throw new Error('PROV_POLICY_DIR needs PROV_GATEWAY_API_KEY: promotions are checked by the query gateway');
  const promotions = {
    policies: PolicyCatalog.fromDirectory(config.PROV_POLICY_DIR),
    check: new GatewayPolicyCheck({ gatewayUrl: config.PROV_GATEWAY_URL, apiKey: config.PROV_GATEWAY_API_KEY ?? '' }),
  };
  await runProducerService('registry-service', config, config.PROV_REGISTRY_PORT, (deps) =>
    createRegistryService(deps, promotions),
  );
}

const logger = startLogging('registry-service');
main().catch((error: Error) => {
  logger.fatal(error.message);
  process.exit(1);
});
