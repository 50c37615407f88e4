import { Logger } from '@nestjs/common';
import { loadApiKeys, loadConfig, loadSigningKey } from '@prov/http-service';
import { FileKeyEncryptionKeys, MongoLineageStore } from '@prov/lineage-store';
import { join } from 'node:path';
import { PolicyCatalog } from '@prov/policy-directory';
import { QueryGatewayConfig, createQueryGateway } from '@prov/query-api';

async function main(): Promise<void> {
  const config = loadConfig(QueryGatewayConfig);
  const logger = new Logger('query-gateway');
  if (!config.MONGODB_URI)
    throw new Error('The query gateway reads the views from MONGODB_URI (mongodb://host:27017/...)');
  const store = await MongoLineageStore.connect({ uri: config.MONGODB_URI, database: config.MONGODB_DATABASE });
  const app = await createQueryGateway({
    store,
    apiKeys: loadApiKeys(config),
    policies: PolicyCatalog.fromDirectory(config.PROV_POLICY_DIR),
    attestationKey: loadSigningKey('query-gateway', config, logger),
    subjectKeys: await store.subjectKeys(
      new FileKeyEncryptionKeys(config.PROV_KEYRING_FILE ?? join(config.PROV_DATA_DIR, 'keyring.json')),
    ),
    explorerDirectory: config.PROV_EXPLORER_DIR,
  });
  await app.listen(config.PROV_GATEWAY_PORT, config.PROV_HOST);
  logger.log(`listening on http://${config.PROV_HOST}:${config.PROV_GATEWAY_PORT}`);
  const stop = async (signal: string) => {
    logger.log(`${signal}: stopping`);
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
