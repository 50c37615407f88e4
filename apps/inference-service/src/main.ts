import { loadConfig, runProducerService } from '@prov/http-service';
import { InferenceServiceConfig, createInferenceService } from '@prov/inference-api';
import { PolicyCatalog } from '@prov/policy-directory';

async function main(): Promise<void> {
  const config = loadConfig(InferenceServiceConfig);
  const policies = PolicyCatalog.fromDirectory(config.PROV_POLICY_DIR).all();
  await runProducerService('inference-service', config, config.PROV_INFERENCE_PORT, (deps) =>
    createInferenceService(deps, policies),
  );
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
