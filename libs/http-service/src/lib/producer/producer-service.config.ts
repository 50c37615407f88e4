import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { DEFAULT_MAX_FIELD_BYTES } from '../json-body/field-checks';

/**
 * Settings every producer service reads from its environment. Defaults are
 * those of the embedded mode: a file event log under PROV_DATA_DIR.
 */
export class ProducerServiceConfig {
  @IsString() PROV_HOST: string = '127.0.0.1';
  /** `file`: the embedded durable log under PROV_DATA_DIR; `kafka`: the brokers of KAFKA_BROKERS. */
  @IsIn(['file', 'kafka']) PROV_EVENT_LOG: 'file' | 'kafka' = 'file';
  @IsString() PROV_DATA_DIR: string = '.provenance';
  /** Every topic under this prefix (`<prefix>provenance.training.v1`): platforms sharing one cluster stay apart. */
  @IsOptional() @Matches(/^[A-Za-z0-9._-]{1,100}$/) PROV_TOPIC_PREFIX?: string;
  /** Comma-separated host:port list. */
  @IsOptional() @IsString() KAFKA_BROKERS?: string;
  // From the raw value: implicit conversion would make 'false' true, as Boolean('false') is.
  @IsOptional()
  @Transform(({ obj, key }) => ({ true: true, false: false })[String(obj[key]) as 'true' | 'false'] ?? obj[key])
  @IsBoolean()
  KAFKA_SSL?: boolean;
  /** PEM file of the CA that signed the brokers' certificates (implies KAFKA_SSL). */
  @IsOptional() @IsString() KAFKA_SSL_CA_FILE?: string;
  /** PEM client certificate and its private key, for brokers that authenticate clients by TLS (implies KAFKA_SSL). */
  @IsOptional() @IsString() KAFKA_SSL_CERT_FILE?: string;
  @IsOptional() @IsString() KAFKA_SSL_KEY_FILE?: string;
  @IsOptional() @IsIn(['plain', 'scram-sha-256', 'scram-sha-512']) KAFKA_SASL_MECHANISM?:
    'plain' | 'scram-sha-256' | 'scram-sha-512';
  @IsOptional() @IsString() KAFKA_SASL_USERNAME?: string;
  @IsOptional() @IsString() KAFKA_SASL_PASSWORD?: string;
  /** Compression of produced batches: gzip (built into kafkajs) measured faster end to end than none. */
  @IsIn(['none', 'gzip']) KAFKA_COMPRESSION: 'none' | 'gzip' = 'gzip';
  /** How long a publish waits for the brokers' acknowledgement before the request fails with 503. */
  @IsInt() @Min(100) KAFKA_PUBLISH_TIMEOUT_MS: number = 30_000;
  /** JSON `{ "keys": [...] }` of API key records (see libs/auth), or a file holding it. */
  @IsOptional() @IsString() PROV_API_KEYS?: string;
  @IsOptional() @IsString() PROV_API_KEYS_FILE?: string;
  /** PKCS#8 PEM Ed25519 key the service signs its events with; generated into the data directory when absent. */
  @IsOptional() @IsString() PROV_SIGNING_KEY_FILE?: string;
  @IsInt() @Min(1024) PROV_MAX_BODY_BYTES: number = 32 * 1024 * 1024;
  /** The largest JSON of one value of a free-form map (a hyperparameter, a pipeline step's parameter). */
  @IsInt() @Min(1024) PROV_MAX_FIELD_BYTES: number = DEFAULT_MAX_FIELD_BYTES;
  /** How long SIGTERM or SIGINT may take: work not finished by then is abandoned, and the exit code is 1. */
  @IsInt() @Min(100) PROV_SHUTDOWN_TIMEOUT_MS: number = 5_000;
}
