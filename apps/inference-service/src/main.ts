import { loadConfig, runProducerService } from '@prov/http-service';
import { startLogging } from '@prov/logging';
import { InferenceServiceConfig, createInferenceService } from '@prov/inference-api';
import {
  FileKeyEncryptionKeys,
  FileSubjectKeyStore,
  MongoSubjectKeyStore,
  type SubjectKeyStore,
} from '@prov/lineage-store';
import { PolicyCatalog } from '@prov/policy-directory';
import { join } from 'node:path';

async function main(): Promise<void> {
  const config = loadConfig(InferenceServiceConfig);
  const policies = PolicyCatalog.fromDirectory(config.PROV_POLICY_DIR).all();
  // The gateway opens sealed values with the same keys: in production both read them from the views' store.
  const keks = new FileKeyEncryptionKeys(config.PROV_KEYRING_FILE ?? join(config.PROV_DATA_DIR, 'keyring.json'));
  const store: SubjectKeyStore = config.MONGODB_URI
    ? await MongoSubjectKeyStore.connect({ uri: config.MONGODB_URI, database: config.MONGODB_DATABASE }, keks)
    : await FileSubjectKeyStore.open(join(config.PROV_DATA_DIR, 'subject-keys'), keks);
  const subjectKeys = { store, keks };
  await runProducerService('inference-service', config, config.PROV_INFERENCE_PORT, (deps) =>
    createInferenceService(deps, {
      policies,
      subjectKeys,
      recentPredictions: config.PROV_RECENT_PREDICTIONS,
      maxOutputBytes: config.PROV_MAX_OUTPUT_BYTES,
    }),
  );
}

const logger = startLogging('inference-service');
main().catch((error: Error) => {
  logger.fatal(error.message);
  process.exit(1);
});
