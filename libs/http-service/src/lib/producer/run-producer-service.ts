import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyVerifier, parseApiKeyConfig } from '@prov/auth';
import { EventLogSettings, openEventLog } from '@prov/event-log';
import { processLogger } from '@prov/logging';
import { SigningKeyPair, signingKeyPairFromPem } from '@prov/integrity';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ProducerServiceConfig } from './producer-service.config';
import { ProducerServiceDependencies } from './producer-service';
import { exitOnSignals } from '../shutdown/shutdown-on-signals';

/**
 * Runs a producer service as its own process: API keys, the signing key
 * (generated into the data directory on first start when none is given),
 * the event log, then the HTTP server until SIGINT or SIGTERM (then stopped
 * within PROV_SHUTDOWN_TIMEOUT_MS).
 */
export async function runProducerService(
  name: string,
  config: ProducerServiceConfig,
  port: number,
  create: (deps: ProducerServiceDependencies) => Promise<NestFastifyApplication>,
): Promise<void> {
  const logger = new Logger(name);
  const apiKeys = loadApiKeys(config);

  const keys = loadSigningKey(name, config, logger);

  const log = await openEventLog(eventLogSettings(config, name));
  const app = await create({
    log,
    apiKeys,
    signer: { keyId: keys.keyId, privateKey: keys.privateKey },
    bodyLimitBytes: config.PROV_MAX_BODY_BYTES,
    maxFieldBytes: config.PROV_MAX_FIELD_BYTES,
  });
  await app.listen(port, config.PROV_HOST);
  logger.log(`listening on http://${config.PROV_HOST}:${port} (signing key ${keys.keyId})`);

  exitOnSignals(
    [
      { name: 'HTTP server', stop: () => app.close() },
      { name: 'event log', stop: () => log.close() },
    ],
    config.PROV_SHUTDOWN_TIMEOUT_MS,
    processLogger(),
  );
}

/** The API keys a service accepts, from PROV_API_KEYS_FILE or PROV_API_KEYS. */
export function loadApiKeys(
  config: Pick<ProducerServiceConfig, 'PROV_API_KEYS' | 'PROV_API_KEYS_FILE'>,
): ApiKeyVerifier {
  const apiKeysJson = config.PROV_API_KEYS_FILE
    ? readFileSync(config.PROV_API_KEYS_FILE, 'utf8')
    : config.PROV_API_KEYS;
  if (!apiKeysJson)
    throw new Error('Set PROV_API_KEYS (JSON) or PROV_API_KEYS_FILE: without API keys nobody could call the service');
  return new ApiKeyVerifier(parseApiKeyConfig(apiKeysJson, config.PROV_API_KEYS_FILE ?? 'PROV_API_KEYS'));
}

/**
 * The service's Ed25519 signing key: PROV_SIGNING_KEY_FILE, or
 * `<data dir>/keys/<service>.pem`, generated there on first start.
 */
export function loadSigningKey(
  name: string,
  config: Pick<ProducerServiceConfig, 'PROV_SIGNING_KEY_FILE' | 'PROV_DATA_DIR'>,
  logger: Pick<Logger, 'log'>,
): SigningKeyPair {
  const keyFile = config.PROV_SIGNING_KEY_FILE ?? join(config.PROV_DATA_DIR, 'keys', `${name}.pem`);
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    logger.log(`generated a signing key in ${keyFile}`);
  }
  return signingKeyPairFromPem(readFileSync(keyFile, 'utf8'));
}

/** The event log a service's configuration names (secrets stay out of logs: only brokers are reported). */
export function eventLogSettings(config: ProducerServiceConfig, clientId: string): EventLogSettings {
  const topicPrefix = config.PROV_TOPIC_PREFIX;
  if (config.PROV_EVENT_LOG === 'file')
    return { kind: 'file', directory: join(config.PROV_DATA_DIR, 'log'), topicPrefix };
  if (!config.KAFKA_BROKERS) throw new Error('PROV_EVENT_LOG=kafka needs KAFKA_BROKERS (host:port,host:port)');
  if (!config.KAFKA_SSL_CERT_FILE !== !config.KAFKA_SSL_KEY_FILE) {
    throw new Error('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together: the client certificate and its key');
  }
  const pem = (file?: string) => (file ? readFileSync(file, 'utf8') : undefined);
  const tls = Object.fromEntries(
    Object.entries({
      ca: pem(config.KAFKA_SSL_CA_FILE),
      cert: pem(config.KAFKA_SSL_CERT_FILE),
      key: pem(config.KAFKA_SSL_KEY_FILE),
    }).filter(([, value]) => value !== undefined),
  );
  const mechanism = config.KAFKA_SASL_MECHANISM;
  if (mechanism && (!config.KAFKA_SASL_USERNAME || !config.KAFKA_SASL_PASSWORD)) {
    throw new Error(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
  }
  return {
    kind: 'kafka',
    topicPrefix,
    clientId,
    brokers: config.KAFKA_BROKERS.split(',').map((b) => b.trim()),
    publishTimeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
    compression: config.KAFKA_COMPRESSION,
    ssl: Object.keys(tls).length > 0 ? tls : config.KAFKA_SSL,
    sasl: mechanism
      ? ({ mechanism, username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD } as never)
      : undefined,
  };
}
