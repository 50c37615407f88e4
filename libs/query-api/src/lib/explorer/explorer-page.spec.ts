import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyVerifier, generateApiKey } from '@prov/auth';
import { generateSigningKeyPair } from '@prov/integrity';
import { InMemoryLineageStore } from '@prov/lineage-store';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createQueryGateway } from '../query-gateway';
import { EXPLORER_CSP, EXPLORER_NOT_BUILT } from './explorer-page';

const viewer = generateApiKey('victor', ['viewer']);
const auditor = generateApiKey('audrey', ['auditor']);

async function gatewayServing(explorerDirectory: string): Promise<NestFastifyApplication> {
  const app = await createQueryGateway({
    store: new InMemoryLineageStore(),
    apiKeys: new ApiKeyVerifier([viewer.record, auditor.record]),
    attestationKey: generateSigningKeyPair(),
    explorerDirectory,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('the lineage explorer page at /', () => {
  const build = mkdtempSync(join(tmpdir(), 'explorer-build-'));
  let app: NestFastifyApplication;

  beforeAll(async () => {
    mkdirSync(join(build, 'assets'));
    writeFileSync(join(build, 'index.html'), '<!doctype html><title>Lineage explorer</title>');
    writeFileSync(join(build, 'assets', 'index-abc123.js'), 'console.log(1)');
    app = await gatewayServing(build);
  });
  afterAll(async () => {
    await app.close();
    rmSync(build, { recursive: true, force: true });
  });

  it('serves the page without a key, revalidated, under a policy that allows no other origin', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Lineage explorer');
    expect(page.headers).toMatchObject({
      'content-security-policy': EXPLORER_CSP,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    expect(EXPLORER_CSP).not.toMatch(/https?:|\*|unsafe/);
  });

  it('lets browsers keep the content-hashed assets for good', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('keeps the API behind its keys and its error shape', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/session' })).statusCode).toBe(401);
    const missing = await app.inject({ method: 'GET', url: '/assets/nothing.js' });
    expect(missing.statusCode).toBe(404);
  });

  it('tells the page who a key belongs to and whether it sees sensitive values', async () => {
    const as = (token: string) =>
      app.inject({ method: 'GET', url: '/v1/session', headers: { authorization: `Bearer ${token}` } });
    expect((await as(viewer.token)).json()).toEqual({
      principal: 'victor',
      roles: ['viewer'],
      mayReadSensitive: false,
    });
    expect((await as(auditor.token)).json()).toEqual({
      principal: 'audrey',
      roles: ['auditor'],
      mayReadSensitive: true,
    });
  });

  it('says how to build the page when the build is missing', async () => {
    const unbuilt = await gatewayServing(join(build, 'nowhere'));
    try {
      const page = await unbuilt.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(503);
      expect(page.json()).toMatchObject({ error: { message: EXPLORER_NOT_BUILT } });
    } finally {
      await unbuilt.close();
    }
  });
});
