import { ProvenanceClient } from '@prov/sdk';
import { readLocalApiToken, localApiKeyFile } from '../embedded/local-api-key';
import { defaultDataDirectory } from './data-directory';
import { CliError, EXIT } from './exit-codes';

export interface ConnectionOptions {
  apiKey?: string;
  dataDir?: string;
  host?: string;
}

export interface PlatformUrls {
  trainingUrl: string;
  registryUrl: string;
  inferenceUrl: string;
  projectorUrl: string;
  gatewayUrl: string;
}

const DEFAULT_PORTS = { training: 8081, registry: 8082, inference: 8083, projector: 8084, gateway: 8085 };

/**
 * Where the services are: `PROV_<SERVICE>_URL` when set (production, each
 * service its own host), else the host and the same `PROV_<SERVICE>_PORT`
 * settings `prov up` listens on.
 */
export function platformUrls(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): PlatformUrls {
  const host = options.host ?? env['PROV_HOST'] ?? '127.0.0.1';
  const url = (service: keyof typeof DEFAULT_PORTS, portVariable: string) =>
    env[`PROV_${service.toUpperCase()}_URL`] ?? `http://${host}:${env[portVariable] ?? DEFAULT_PORTS[service]}`;
  return {
    trainingUrl: url('training', 'PROV_TRAINING_PORT'),
    registryUrl: url('registry', 'PROV_REGISTRY_PORT'),
    inferenceUrl: url('inference', 'PROV_INFERENCE_PORT'),
    projectorUrl: url('projector', 'PROV_PROJECTOR_PORT'),
    gatewayUrl: url('gateway', 'PROV_GATEWAY_PORT'),
  };
}

/** The API key: --api-key, PROV_API_KEY, or the one `prov up` made in the data directory. */
export function apiKeyFor(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): string {
  const given = options.apiKey ?? env['PROV_API_KEY'];
  if (given) return given;
  const dataDirectory = defaultDataDirectory(options.dataDir, env);
  const local = readLocalApiToken(dataDirectory);
  if (local) return local;
  throw new CliError(
    `no API key: pass --api-key or set PROV_API_KEY (or start the embedded platform with 'prov up', which keeps one in ${localApiKeyFile(dataDirectory)})`,
    EXIT.denied,
  );
}

export function clientFor(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): ProvenanceClient {
  // Few retries: a person at a terminal wants to hear soon that nothing answers.
  return new ProvenanceClient({
    ...platformUrls(options, env),
    apiKey: apiKeyFor(options, env),
    retry: { retries: 2, initialDelayMs: 200, maxDelayMs: 1000 },
    timeoutMs: 30_000,
  });
}
