import { CompressionTypes, KafkaConfig, logLevel as KafkaLogLevel, SASLOptions } from 'kafkajs';
import { processLogger } from '@prov/logging';
import type { ConnectionOptions } from 'node:tls';
import { ConsumerErrorContext, logConsumerError } from '../file/file-event-log.options';
import { kafkajsLogCreator } from './kafkajs-log';

export interface KafkaEventLogOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** Names this client in the brokers' logs and quotas. Default `provenance`. */
  clientId?: string;
  /** TLS to the brokers: `true`, or Node TLS options (`ca`, `cert`, `key`...). */
  ssl?: boolean | ConnectionOptions;
  /** SASL (plain, scram-sha-256, scram-sha-512, aws, oauthbearer) as kafkajs takes it. */
  sasl?: SASLOptions;
  /**
   * Compression of produced batches. Default `'none'`, the faster of the two
   * on our measurements; gzip (built into kafkajs) trades CPU for bytes on
   * the wire.
   */
  compression?: 'none' | 'gzip';
  /** How long a publish may wait for the brokers' acknowledgement, retries included. Default 30 s. */
  publishTimeoutMs?: number;
  /** What kafkajs itself logs, through the process's logger. Default `'error'`. */
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /**
   * Told when a consumer's `onBatch` throws; the batch is delivered again
   * after a pause. Default: logged.
   */
  onConsumerError?: (error: unknown, context: ConsumerErrorContext) => void;
}

export interface KafkaEventLogSettings {
  clientId: string;
  compression: CompressionTypes;
  publishTimeoutMs: number;
  onConsumerError: (error: unknown, context: ConsumerErrorContext) => void;
}

const LOG_LEVELS = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

export function resolveKafkaOptions(options: KafkaEventLogOptions): {
  config: KafkaConfig;
  settings: KafkaEventLogSettings;
} {
  if (!Array.isArray(options.brokers) || options.brokers.length === 0) {
    throw new RangeError('brokers must list at least one host:port');
  }
  const publishTimeoutMs = options.publishTimeoutMs ?? 30_000;
  if (!Number.isFinite(publishTimeoutMs) || publishTimeoutMs <= 0) {
    throw new RangeError(`publishTimeoutMs must be a positive number of milliseconds, got ${publishTimeoutMs}`);
  }
  const compression = options.compression ?? 'none';
  if (compression !== 'none' && compression !== 'gzip') {
    throw new RangeError(`compression must be 'none' or 'gzip', got ${String(compression)}`);
  }
  const clientId = options.clientId ?? 'provenance';
  return {
    config: {
      clientId,
      brokers: options.brokers,
      ssl: options.ssl,
      sasl: options.sasl,
      logLevel: LOG_LEVELS[options.logLevel ?? 'error'],
      logCreator: kafkajsLogCreator(processLogger()),
      // kafkajs's 1 s is short for a TLS handshake to a remote cluster.
      connectionTimeout: 5_000,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5_000 },
    },
    settings: {
      clientId,
      compression: compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      publishTimeoutMs,
      onConsumerError: options.onConsumerError ?? logConsumerError,
    },
  };
}
