import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyRecord, ApiKeyVerifier } from '@prov/auth';
import { FileEventLog } from '@prov/event-log';
import type { ProducerServiceDependencies } from '@prov/http-service';
import { generateSigningKeyPair, SigningKeyPair } from '@prov/integrity';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProducerServiceUnderTest {
  app: NestFastifyApplication;
  log: FileEventLog;
  /** Where the log's files are. */
  logDirectory: string;
  keys: SigningKeyPair;
  /** POSTs JSON (or raw text) with a bearer token, in process (no network). */
  post(
    url: string,
    body: unknown,
    token: string | null,
    headers?: Record<string, string>,
  ): ReturnType<NestFastifyApplication['inject']>;
  close(): Promise<void>;
}

/**
 * A producer service on a fresh embedded log in a temporary directory, for
 * unit-level HTTP tests (Fastify inject: the whole request pipeline, no port).
 */
export async function startProducerServiceUnderTest(
  create: (deps: ProducerServiceDependencies) => Promise<NestFastifyApplication>,
  apiKeys: ApiKeyRecord[],
  options: { bodyLimitBytes?: number; prepare?: (log: FileEventLog) => Promise<void> } = {},
): Promise<ProducerServiceUnderTest> {
  const directory = await mkdtemp(join(tmpdir(), 'service-under-test-'));
  const log = await FileEventLog.open(directory, { fsync: 'never' });
  await options.prepare?.(log);
  const keys = generateSigningKeyPair();
  const app = await create({
    log,
    apiKeys: new ApiKeyVerifier(apiKeys),
    signer: { keyId: keys.keyId, privateKey: keys.privateKey },
    bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    log,
    logDirectory: directory,
    keys,
    post: (url, body, token, headers = {}) =>
      app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      }),
    close: async () => {
      await app.close();
      await log.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
