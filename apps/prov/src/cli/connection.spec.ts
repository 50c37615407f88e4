import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localApiKey } from '../embedded/local-api-key';
import { apiKeyFor, platformUrls } from './connection';
import { CliError } from './exit-codes';

describe('where the CLI finds the platform', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'prov-connection-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('uses the ports prov up listens on, or each service URL given', () => {
    expect(platformUrls({}, {})).toEqual({
      trainingUrl: 'http://127.0.0.1:8081',
      registryUrl: 'http://127.0.0.1:8082',
      inferenceUrl: 'http://127.0.0.1:8083',
      projectorUrl: 'http://127.0.0.1:8084',
      gatewayUrl: 'http://127.0.0.1:8085',
    });
    const urls = platformUrls(
      { host: 'prov.internal' },
      { PROV_GATEWAY_PORT: '9085', PROV_TRAINING_URL: 'https://training.example.com' },
    );
    expect(urls.trainingUrl).toBe('https://training.example.com');
    expect(urls.gatewayUrl).toBe('http://prov.internal:9085');
    expect(urls.registryUrl).toBe('http://prov.internal:8082');
  });

  it('takes the key given, else the local key of the embedded platform, else says how to get one', () => {
    expect(apiKeyFor({ apiKey: 'prov_a_b' }, { PROV_API_KEY: 'prov_c_d' })).toBe('prov_a_b');
    expect(apiKeyFor({}, { PROV_API_KEY: 'prov_c_d' })).toBe('prov_c_d');
    expect(() => apiKeyFor({ dataDir }, {})).toThrow(CliError);
    const local = localApiKey(dataDir);
    expect(apiKeyFor({ dataDir }, {})).toBe(local.token);
    // The same key on every start.
    expect(localApiKey(dataDir)).toEqual(local);
    expect(local.record.roles).toEqual(expect.arrayContaining(['auditor', 'data-steward', 'ml-service']));
  });
});
