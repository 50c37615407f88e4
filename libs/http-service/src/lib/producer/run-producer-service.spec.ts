import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config';
import { ProducerServiceConfig } from './producer-service.config';
import { eventLogSettings } from './run-producer-service';

const settings = (env: NodeJS.ProcessEnv) => eventLogSettings(loadConfig(ProducerServiceConfig, env), 'svc');

describe('event log of a producer service', () => {
  it('is the embedded file log under the data directory by default', () => {
    expect(settings({ PROV_DATA_DIR: 'data' })).toEqual({ kind: 'file', directory: 'data/log' });
  });

  it('is Kafka with its brokers, TLS and SASL when configured', () => {
    expect(
      settings({
        PROV_EVENT_LOG: 'kafka',
        KAFKA_BROKERS: 'k1:9093, k2:9093',
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'svc',
        KAFKA_SASL_PASSWORD: 'secret',
      }),
    ).toEqual({
      kind: 'kafka',
      clientId: 'svc',
      brokers: ['k1:9093', 'k2:9093'],
      publishTimeoutMs: 30_000,
      compression: 'gzip',
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'secret' },
    });
    expect(settings({ PROV_EVENT_LOG: 'kafka', KAFKA_BROKERS: 'k:9092', KAFKA_SSL: 'false' })).toMatchObject({
      ssl: false,
    });
  });

  it('reads the CA, the client certificate and its key for TLS from their PEM files', () => {
    const directory = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
    try {
      const file = (name: string) => {
        writeFileSync(join(directory, name), `-----BEGIN ${name}-----\n`);
        return join(directory, name);
      };
      const kafka = { PROV_EVENT_LOG: 'kafka', KAFKA_BROKERS: 'k:9093' };
      expect(settings({ ...kafka, KAFKA_SSL_CA_FILE: file('CA') })).toMatchObject({
        ssl: { ca: '-----BEGIN CA-----\n' },
      });
      expect(
        settings({
          ...kafka,
          KAFKA_SSL_CA_FILE: file('CA'),
          KAFKA_SSL_CERT_FILE: file('CERT'),
          KAFKA_SSL_KEY_FILE: file('KEY'),
        }),
      ).toMatchObject({
        ssl: { ca: '-----BEGIN CA-----\n', cert: '-----BEGIN CERT-----\n', key: '-----BEGIN KEY-----\n' },
      });
      expect(() => settings({ ...kafka, KAFKA_SSL_CERT_FILE: file('CERT') })).toThrow(
        /KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together/,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('puts every topic under PROV_TOPIC_PREFIX, and refuses a prefix no topic could carry', () => {
    expect(settings({ PROV_TOPIC_PREFIX: 'team-a.' })).toMatchObject({ kind: 'file', topicPrefix: 'team-a.' });
    expect(settings({ PROV_EVENT_LOG: 'kafka', KAFKA_BROKERS: 'k:9092', PROV_TOPIC_PREFIX: 'x_' })).toMatchObject({
      kind: 'kafka',
      topicPrefix: 'x_',
    });
    expect(() => settings({ PROV_TOPIC_PREFIX: 'a/b' })).toThrow(/PROV_TOPIC_PREFIX/);
  });

  it('refuses Kafka without brokers, and SASL without credentials, saying what is missing', () => {
    expect(() => settings({ PROV_EVENT_LOG: 'kafka' })).toThrow(/KAFKA_BROKERS/);
    expect(() => settings({ PROV_EVENT_LOG: 'kafka', KAFKA_BROKERS: 'k:9092', KAFKA_SASL_MECHANISM: 'plain' })).toThrow(
      /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
    );
  });
});
