import { IsIn, IsInt, IsOptional, IsString, Min } from 'class-validator';

/**
 * Settings every producer service reads from its environment. Defaults are
 * those of the embedded mode: a file event log under PROV_DATA_DIR.
 */
export class ProducerServiceConfig {
  @IsString() PROV_HOST: string = '127.0.0.1';
  @IsIn(['file']) PROV_EVENT_LOG = 'file' as const;
  @IsString() PROV_DATA_DIR: string = '.provenance';
  /** JSON `{ "keys": [...] }` of API key records (see libs/auth), or a file holding it. */
  @IsOptional() @IsString() PROV_API_KEYS?: string;
  @IsOptional() @IsString() PROV_API_KEYS_FILE?: string;
  /** PKCS#8 PEM Ed25519 key the service signs its events with; generated into the data directory when absent. */
  @IsOptional() @IsString() PROV_SIGNING_KEY_FILE?: string;
  @IsInt() @Min(1024) PROV_MAX_BODY_BYTES: number = 32 * 1024 * 1024;
}
