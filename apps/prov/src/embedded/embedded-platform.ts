import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyRecord, ApiKeyVerifier, parseApiKeyConfig } from '@prov/auth';
import { openEventLog } from '@prov/event-log';
import {
  ProducerServiceDependencies,
  ShutdownStep,
  eventLogSettings,
  loadConfig,
  loadSigningKey,
  shutDown,
} from '@prov/http-service';
import { InferenceServiceConfig, ViewKnownPredictions, createInferenceService } from '@prov/inference-api';
import { FileKeyEncryptionKeys, FileSubjectKeyStore, LineageStore, MongoLineageStore } from '@prov/lineage-store';
import { processLogger } from '@prov/logging';
import {
  ProjectorConfig,
  alertWebhookSettings,
  lineageCacheEntries,
  createProjector,
  createProjectorHttp,
  loadTrustedKeys,
  openLineageStore,
  readPlatformStatus,
} from '@prov/projector-engine';
import { PolicyCatalog } from '@prov/policy-directory';
import { QueryGatewayConfig, createQueryGateway } from '@prov/query-api';
import { GatewayPolicyCheck, RegistryServiceConfig, createRegistryService } from '@prov/registry-api';
import type { StatusAnswer } from '@prov/sdk';
import { TrainingServiceConfig, createTrainingService } from '@prov/training-api';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LocalApiKey, localApiKey, localApiKeyFile } from './local-api-key';

export type ServiceName = 'training-service' | 'registry-service' | 'inference-service' | 'projector' | 'query-gateway';

export interface EmbeddedPlatformSettings {
  dataDirectory: string;
  host: string;
  ports: Record<ServiceName, number>;
  eventLog: 'file' | 'kafka';
  store: ProjectorConfig['PROV_STORE'];
  /** PROV_SHUTDOWN_TIMEOUT_MS: how long its shutdown steps may take in all. */
  shutdownTimeoutMs: number;
}

export interface RunningPlatform {
  settings: EmbeddedPlatformSettings;
  urls: Record<ServiceName, string>;
  localKey: LocalApiKey;
  localKeyFile: string;
  /** Resolves once the projector has built (or rebuilt from the log) the views that queries read. */
  viewsReady: Promise<string>;
  /** What the event log and the views hold now (GET /v1/status of the projector). */
  status: () => Promise<StatusAnswer>;
  /** What stops it, in order: the HTTP servers stop taking requests, then the projector, the store and the log close. */
  shutdownSteps: ShutdownStep[];
}

/**
 * The whole platform in one process: the three producer services, the
 * projector and the query gateway, each on its own port. One process is what
 * the embedded mode needs: the file log has a single owner (its data
 * directory's lock), and the in-process store is shared by the projector that
 * writes it and the gateway that reads it. Every setting comes from the same
 * environment as the services' own, so the same command also runs on Kafka
 * and MongoDB.
 */
export async function startEmbeddedPlatform(env: NodeJS.ProcessEnv = process.env): Promise<RunningPlatform> {
  const logger = new Logger('platform');
  const config = loadConfig(ProjectorConfig, env);
  const gatewayConfig = loadConfig(QueryGatewayConfig, env);
  const inferenceConfig = loadConfig(InferenceServiceConfig, env);
  const ports: Record<ServiceName, number> = {
    'training-service': loadConfig(TrainingServiceConfig, env).PROV_TRAINING_PORT,
    'registry-service': loadConfig(RegistryServiceConfig, env).PROV_REGISTRY_PORT,
    'inference-service': inferenceConfig.PROV_INFERENCE_PORT,
    projector: config.PROV_PROJECTOR_PORT,
    'query-gateway': gatewayConfig.PROV_GATEWAY_PORT,
  };
  const settings: EmbeddedPlatformSettings = {
    dataDirectory: resolve(config.PROV_DATA_DIR),
    host: config.PROV_HOST,
    ports,
    eventLog: config.PROV_EVENT_LOG,
    store: config.PROV_STORE,
    shutdownTimeoutMs: config.PROV_SHUTDOWN_TIMEOUT_MS,
  };
  const localKey = localApiKey(settings.dataDirectory);
  const apiKeys = new ApiKeyVerifier([localKey.record, ...configuredApiKeys(config)]);

  // The servers stop taking requests first; then the other parts, newest first.
  const servers: NestFastifyApplication[] = [];
  const parts: ShutdownStep[] = [];
  let stopping = false;
  const shutdownSteps = (): ShutdownStep[] => [
    {
      name: 'HTTP servers',
      stop: async () => {
        stopping = true;
        for (const app of [...servers].reverse()) await app.close();
      },
    },
    ...[...parts].reverse(),
  ];
  try {
    const log = await openEventLog(eventLogSettings(config, 'platform'));
    parts.push({ name: 'event log', stop: () => log.close() });
    const store = await openLineageStore(config);
    parts.push({ name: 'store', stop: () => store.close() });
    // Kept apart from the views (which the log can rebuild): keys are never in the log.
    const keks = new FileKeyEncryptionKeys(
      inferenceConfig.PROV_KEYRING_FILE ?? join(settings.dataDirectory, 'keyring.json'),
    );
    const subjectKeyStore =
      store instanceof MongoLineageStore
        ? await store.subjectKeys(keks)
        : await FileSubjectKeyStore.open(join(settings.dataDirectory, 'subject-keys'), keks);
    const subjectKeys = { store: subjectKeyStore, keks };

    // One catalog for the gateway's policy checks and the registry's promotions.
    const policies = PolicyCatalog.fromDirectory(gatewayConfig.PROV_POLICY_DIR);
    // The registry asks the gateway over HTTP, as when they run apart, with the platform's own key.
    const promotions = {
      policies,
      check: new GatewayPolicyCheck({
        gatewayUrl: `http://${settings.host}:${ports['query-gateway']}`,
        apiKey: localKey.token,
      }),
    };
    // Producer keys first: the projector trusts the keys it finds in the data directory.
    const producers: Array<[ServiceName, (deps: ProducerServiceDependencies) => Promise<NestFastifyApplication>]> = [
      ['training-service', createTrainingService],
      ['registry-service', (deps) => createRegistryService(deps, promotions)],
      [
        'inference-service',
        (deps) =>
          createInferenceService(deps, {
            policies: policies.all(),
            subjectKeys,
            recentPredictions: inferenceConfig.PROV_RECENT_PREDICTIONS,
            maxOutputBytes: inferenceConfig.PROV_MAX_OUTPUT_BYTES,
            // In process, the views answer for ids the service did not publish since it started.
            ...(store instanceof MongoLineageStore ? {} : { knownPredictions: new ViewKnownPredictions(store) }),
          }),
      ],
    ];
    const signers = producers.map(([name]) => loadSigningKey(name, config, logger));
    const keys = loadSigningKey('projector', config, logger);
    const { projector, metrics, auditLog, deadLetters } = await createProjector({
      log,
      store,
      trustedKeys: loadTrustedKeys(config),
      requireSignatures: config.PROV_REQUIRE_SIGNATURES,
      signer: { keyId: keys.keyId, privateKey: keys.privateKey },
      maxBatchSize: config.PROV_PROJECTOR_BATCH_SIZE,
      lineageCacheEntries: lineageCacheEntries(config),
      pollIntervalMs: config.PROV_PROJECTOR_POLL_MS,
      stallSeconds: config.PROV_PROJECTOR_STALL_SECONDS,
      auditGenerationsKept: config.PROV_PROJECTOR_AUDIT_GENERATIONS,
      auditCheckpointEvery: config.PROV_AUDIT_CHECKPOINT_EVERY,
      auditCheckpointIntervalMs: config.PROV_AUDIT_CHECKPOINT_SECONDS * 1000,
      alertWebhook: alertWebhookSettings(config),
    });
    const apps: Array<[ServiceName, NestFastifyApplication]> = [];
    for (const [index, [name, create]] of producers.entries()) {
      const { keyId, privateKey } = signers[index];
      apps.push([
        name,
        await create({
          log,
          apiKeys,
          signer: { keyId, privateKey },
          bodyLimitBytes: config.PROV_MAX_BODY_BYTES,
          maxFieldBytes: config.PROV_MAX_FIELD_BYTES,
        }),
      ]);
    }
    apps.push(['projector', await createProjectorHttp(projector, { log, store, apiKeys, metrics })]);
    apps.push([
      'query-gateway',
      await createQueryGateway({
        store,
        apiKeys,
        policies,
        attestationKey: loadSigningKey('query-gateway', config, logger),
        subjectKeys: subjectKeyStore,
      }),
    ]);
    for (const [name, app] of apps) {
      await app.listen(ports[name], settings.host);
      servers.push(app);
    }
    await auditLog.start();
    parts.push({ name: 'audit log', stop: () => auditLog.stop() });
    await deadLetters.start();
    parts.push({ name: 'dead letters', stop: () => deadLetters.stop() });
    const live = projector.runLive();
    parts.push({
      name: 'projector',
      stop: async () => {
        await projector.stop();
        await live;
      },
    });
    const urls = Object.fromEntries(
      (Object.keys(ports) as ServiceName[]).map((name) => [name, `http://${settings.host}:${ports[name]}`]),
    ) as Record<ServiceName, string>;
    return {
      settings,
      urls,
      localKey,
      localKeyFile: localApiKeyFile(settings.dataDirectory),
      viewsReady: untilActive(store, () => stopping),
      status: () => readPlatformStatus(log, store),
      shutdownSteps: shutdownSteps(),
    };
  } catch (error) {
    await shutDown(shutdownSteps(), settings.shutdownTimeoutMs, processLogger());
    throw error;
  }
}

/** Keys given in PROV_API_KEYS(_FILE) are accepted beside the local one. */
function configuredApiKeys(config: ProjectorConfig): ApiKeyRecord[] {
  const json = config.PROV_API_KEYS_FILE ? readFileSync(config.PROV_API_KEYS_FILE, 'utf8') : config.PROV_API_KEYS;
  return json ? parseApiKeyConfig(json, config.PROV_API_KEYS_FILE ?? 'PROV_API_KEYS') : [];
}

async function untilActive(store: LineageStore, stopped: () => boolean): Promise<string> {
  for (;;) {
    const active = await store.activeGeneration();
    if (active !== undefined) return active;
    if (stopped()) throw new Error('the platform stopped before its views were built');
    await new Promise((r) => setTimeout(r, 100));
  }
}
