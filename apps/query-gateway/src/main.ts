import { Logger } from '@nestjs/common';
import { exitOnSignals, loadApiKeys, loadConfig, loadSigningKey } from '@prov/http-service';
import { FileKeyEncryptionKeys, MongoLineageStore } from '@prov/lineage-store';
import { startLogging } from '@prov/logging';
import { join } from 'node:path';
import { PolicyCatalog } from '@prov/policy-directory';
import { QueryGatewayConfig, createQueryGateway } from '@prov/query-api';

async function main(): Promise<void> {
  const config = loadConfig(QueryGatewayConfig);
  const nestLogger = new Logger('query-gateway');
  if (!config.MONGODB_URI)
    throw new Error('The query gateway reads the views from MONGODB_URI (mongodb://host:27017/...)');
  const store = await MongoLineageStore.connect({ uri: config.MONGODB_URI, database: config.MONGODB_DATABASE });
  const app = await createQueryGateway({
    store,
    apiKeys: loadApiKeys(config),
    policies: PolicyCatalog.fromDirectory(config.PROV_POLICY_DIR),
    attestationKey: loadSigningKey('query-gateway', config, nestLogger),
    subjectKeys: await store.subjectKeys(
      new FileKeyEncryptionKeys(config.PROV_KEYRING_FILE ?? join(config.PROV_DATA_DIR, 'keyring.json')),
    ),
    explorerDirectory: config.PROV_EXPLORER_DIR,
  });
  await app.listen(config.PROV_GATEWAY_PORT, config.PROV_HOST);
  nestLogger.log(`listening on http://${config.PROV_HOST}:${config.PROV_GATEWAY_PORT}`);
  exitOnSignals(
    [
      { name: 'HTTP server', stop: () => app.close() },
      { name: 'store', stop: () => store.close() },
    ],
    config.PROV_SHUTDOWN_TIMEOUT_MS,
    logger,
  );
}

const logger = startLogging('query-gateway');
main().catch((error: Error) => {
  logger.fatal(error.message);
  process.exit(1);
});
