import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/**
 * The training service's settings, from environment variables. Defaults
 * are those of the embedded mode: a file event log under PROV_DATA_DIR.
 */
export class TrainingServiceConfig {
  @IsString() PROV_HOST: string = '127.0.0.1';
  @IsInt() @Min(1) @Max(65535) PROV_TRAINING_PORT: number = 8081;
  @IsIn(['file', 'kafka']) PROV_EVENT_LOG: 'file' | 'kafka' = 'file';
  @IsString() PROV_DATA_DIR: string = '.provenance';
  @IsOptional() @IsString() KAFKA_BROKERS?: string;
  /** JSON `{ "keys": [...] }` of API key records, or a file holding it. */
  @IsOptional() @IsString() PROV_API_KEYS?: string;
  @IsOptional() @IsString() PROV_API_KEYS_FILE?: string;
  /** PKCS#8 PEM Ed25519 key the service signs its events with; generated into the data directory when absent. */
  @IsOptional() @IsString() PROV_SIGNING_KEY_FILE?: string;
  @IsInt() @Min(1024) PROV_MAX_BODY_BYTES: number = 32 * 1024 * 1024;
}
