import { Logger } from '@nestjs/common';
import { ApiKeyVerifier, parseApiKeyConfig } from '@prov/auth';
import { FileEventLog } from '@prov/event-log';
import { loadConfig } from '@prov/http-service';
import { signingKeyPairFromPem } from '@prov/integrity';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TrainingServiceConfig } from './training-service.config';
import { createTrainingService } from './training-service';

async function main() {
  const config = loadConfig(TrainingServiceConfig);
  const logger = new Logger('training-service');

  const apiKeysJson = config.PROV_API_KEYS_FILE
    ? readFileSync(config.PROV_API_KEYS_FILE, 'utf8')
    : config.PROV_API_KEYS;
  if (!apiKeysJson)
    throw new Error('Set PROV_API_KEYS (JSON) or PROV_API_KEYS_FILE: no API keys, nobody could call the service');
  const apiKeys = new ApiKeyVerifier(parseApiKeyConfig(apiKeysJson, config.PROV_API_KEYS_FILE ?? 'PROV_API_KEYS'));

  const keyFile = config.PROV_SIGNING_KEY_FILE ?? join(config.PROV_DATA_DIR, 'keys', 'training-service.pem');
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    logger.log(`generated a signing key in ${keyFile}`);
  }
  const signingKeys = signingKeyPairFromPem(readFileSync(keyFile, 'utf8'));

  if (config.PROV_EVENT_LOG !== 'file')
    throw new Error(`PROV_EVENT_LOG=${config.PROV_EVENT_LOG} is not available in this build`);
  const log = await FileEventLog.open(join(config.PROV_DATA_DIR, 'log'));

  const app = await createTrainingService({
    log,
    apiKeys,
    signer: { keyId: signingKeys.keyId, privateKey: signingKeys.privateKey },
    bodyLimitBytes: config.PROV_MAX_BODY_BYTES,
  });
  await app.listen(config.PROV_TRAINING_PORT, config.PROV_HOST);
  logger.log(`listening on http://${config.PROV_HOST}:${config.PROV_TRAINING_PORT} (signing key ${signingKeys.keyId})`);
  const close = async () => {
    await app.close();
    await log.close();
  };
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
