import { openEventLog } from '@prov/event-log';
import { eventLogSettings, loadConfig, ProducerServiceConfig } from '@prov/http-service';
import { dataSliceId, datasetVersionId } from '@prov/integrity';
import { RunningServices } from '@prov/platform-testing';
import { freePort, localInfra, uniqueName } from '@prov/testing';
import { MongoClient } from 'mongodb';
import { join, resolve } from 'node:path';

/**
 * Kafka over SASL_SSL (SCRAM-SHA-512) and the store over TLS, as
 * deploy/local/infra.sh runs them with PROV_KAFKA_SECURITY=tls-sasl and
 * PROV_STORE_SECURITY=tls, each certificate from a throwaway CA. The services
 * are set up only through the platform's own variables (KAFKA_SSL_CA_FILE,
 * KAFKA_SASL_*, MONGODB_URI with tls=true&tlsCAFile=), as `infra.sh env
 * --secure` prints them: their producers publish, the projector folds, the
 * gateway answers. A client that does not trust the CA, or that gives a wrong
 * password, is refused at once and told why, not left retrying.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
/** Long enough for kafkajs' own retries of a connection (about 6 s), far shorter than an endless retry. */
const PROMPTLY_MS = 20_000;

let env: NodeJS.ProcessEnv;
/** The platform's settings for the secure listeners (`infra.sh env --secure`). */
let secure: Record<string, string>;

function parseEnvLines(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .split('\n')
      .map((line) => line.match(/^([A-Z_]+)='(.*)'$/))
      .filter((match): match is RegExpMatchArray => match !== null)
      .map((match) => [match[1], match[2]]),
  );
}

/** Opens the event log as a service would from `variables`; how it failed and after how long. */
async function refusal(variables: Record<string, string | undefined>): Promise<{ error: Error; ms: number }> {
  const config = loadConfig(ProducerServiceConfig, { PROV_EVENT_LOG: 'kafka', ...variables });
  const started = Date.now();
  const settings = { ...eventLogSettings(config, 'transport-security-check'), logLevel: 'nothing' as const };
  const log = await openEventLog(settings).catch((error: Error) => error);
  if (!(log instanceof Error)) {
    await log.close();
    throw new Error('the event log opened: the broker accepted the client');
  }
  return { error: log, ms: Date.now() - started };
}

beforeAll(async () => {
  env = {
    ...process.env,
    PROV_INFRA_HOME: join(ROOT, '.cache', 'deploy-tls'),
    PROV_KAFKA_PORT: String(await freePort()),
    PROV_KAFKA_CONTROLLER_PORT: String(await freePort()),
    PROV_KAFKA_SASL_SSL_PORT: String(await freePort()),
    PROV_STORE_PORT: String(await freePort()),
    PROV_STORE_TLS_PORT: String(await freePort()),
    PROV_KAFKA_SECURITY: 'tls-sasl',
    PROV_STORE_SECURITY: 'tls',
  };
  await localInfra(['reset', 'all'], env);
  await localInfra(['start', 'all'], env);
  secure = parseEnvLines(await localInfra(['env', '--secure'], env));
}, 900_000);

afterAll(async () => {
  if (env) await localInfra(['reset', 'all'], env);
}, 120_000);

describe('transport security of the local servers (deploy/local/infra.sh)', () => {
  it('names the secure listeners in the platform’s own variables', () => {
    expect(secure).toEqual({
      KAFKA_BROKERS: `127.0.0.1:${env['PROV_KAFKA_SASL_SSL_PORT']}`,
      KAFKA_SSL_CA_FILE: expect.stringMatching(/run\/tls\/ca\.pem$/),
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'provenance',
      KAFKA_SASL_PASSWORD: expect.stringMatching(/^[0-9a-f]{48}$/),
      MONGODB_URI: `mongodb://127.0.0.1:${env['PROV_STORE_TLS_PORT']}/?directConnection=true&tls=true&tlsCAFile=${secure['KAFKA_SSL_CA_FILE']}`,
    });
  });

  it('runs the producers, the projector and the gateway over SASL_SSL and a TLS store', async () => {
    const services = new RunningServices();
    try {
      await services.start(['training-service', 'projector', 'query-gateway'], {
        ...secure,
        PROV_EVENT_LOG: 'kafka',
        PROV_TOPIC_PREFIX: `${uniqueName('tls')}.`,
        PROV_STORE: 'mongodb',
        MONGODB_DATABASE: uniqueName('tls').replace(/[^a-zA-Z0-9_-]/g, '_'),
        PROV_PROJECTOR_POLL_MS: '200',
      });
      const steward = services.client('data-steward');
      const parts = [{ path: 'part-0.parquet', sizeBytes: 2048, sha256: 'e'.repeat(64) }];
      const dataset = await steward.datasets.register({ namespace: 'tls', name: 'events', owner: 'data@example.com' });
      await steward.datasets.registerVersion(dataset.id, { parts, source: 's3://lake/tls/' });
      const dsv = datasetVersionId(parts);
      const criteria = { source: 'web' };
      await steward.slices.define({ datasetVersionId: dsv, criteria });

      const slice = dataSliceId(dsv, criteria);
      const deadline = Date.now() + 60_000;
      let answer: Response;
      do {
        answer = await fetch(`${services.urls['query-gateway']}/v1/slices/${slice}/impact`, {
          headers: { authorization: `Bearer ${services.tokens['viewer']}` },
        });
        if (answer.status !== 404) break;
        await new Promise((r) => setTimeout(r, 250));
      } while (Date.now() < deadline);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ sliceId: slice, flagged: false });
    } finally {
      await services.stop();
    }
  }, 240_000);

  it('refuses a Kafka client that does not trust the CA, at once and saying why', async () => {
    const { error, ms } = await refusal({ ...secure, KAFKA_SSL_CA_FILE: undefined, KAFKA_SSL: 'true' });
    expect(error.message).toMatch(/unable to verify the first certificate/);
    expect(error).toMatchObject({ retriable: false });
    expect(ms).toBeLessThan(PROMPTLY_MS);
  });

  it('refuses a Kafka client with a wrong password, at once and saying why', async () => {
    const { error, ms } = await refusal({ ...secure, KAFKA_SASL_PASSWORD: `${secure['KAFKA_SASL_PASSWORD']}x` });
    expect(error.message).toMatch(/invalid credentials with SASL mechanism SCRAM-SHA-512/);
    expect(error).toMatchObject({ retriable: false });
    expect(ms).toBeLessThan(PROMPTLY_MS);
  });

  it('stops a service whose Kafka password is wrong, with the reason, instead of retrying for ever', async () => {
    const services = new RunningServices();
    try {
      const started = Date.now();
      await expect(
        services.start(['training-service'], {
          ...secure,
          KAFKA_SASL_PASSWORD: 'not-the-password',
          PROV_EVENT_LOG: 'kafka',
        }),
      ).rejects.toThrow(
        /training-service exited with code 1[\s\S]*invalid credentials with SASL mechanism SCRAM-SHA-512/,
      );
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      await services.stop();
    }
  }, 120_000);

  it('refuses a Kafka client without TLS or SASL on the SASL_SSL listener', async () => {
    const { error, ms } = await refusal({ KAFKA_BROKERS: secure['KAFKA_BROKERS'] });
    expect(error.message).toMatch(/^cannot connect to Kafka at [\d.:]+: Closed connection$/);
    expect(ms).toBeLessThan(PROMPTLY_MS);
  });

  it('serves a MongoDB client that trusts the CA over TLS, and refuses one that does not', async () => {
    const trusted = new MongoClient(secure['MONGODB_URI'], { serverSelectionTimeoutMS: 10_000 });
    try {
      expect(await trusted.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    } finally {
      await trusted.close();
    }

    const withoutCa = secure['MONGODB_URI'].replace(/&tlsCAFile=[^&]*/, '');
    const untrusting = new MongoClient(withoutCa, { serverSelectionTimeoutMS: 2_000 });
    try {
      await expect(untrusting.db('admin').command({ ping: 1 })).rejects.toThrow(
        /unable to verify the first certificate/,
      );
    } finally {
      await untrusting.close();
    }

    const plain = new MongoClient(withoutCa.replace('&tls=true', ''), { serverSelectionTimeoutMS: 2_000 });
    try {
      await expect(plain.db('admin').command({ ping: 1 })).rejects.toThrow(/connection .* closed/);
    } finally {
      await plain.close();
    }
  });
});
