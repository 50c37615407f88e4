import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** The gateway's settings: where the views are, and who may read them. */
export class QueryGatewayConfig {
  @IsString() PROV_HOST: string = '127.0.0.1';
  @IsInt() @Min(1) @Max(65535) PROV_GATEWAY_PORT: number = 8085;
  @IsOptional() @IsString() MONGODB_URI?: string;
  @IsString() MONGODB_DATABASE: string = 'provenance';
  /** JSON `{ "keys": [...] }` of API key records (see libs/auth), or a file holding it. */
  @IsOptional() @IsString() PROV_API_KEYS?: string;
  @IsOptional() @IsString() PROV_API_KEYS_FILE?: string;
  /** A directory of provenance policy files (YAML or JSON), for `completeness?policy=<name>`. */
  @IsOptional() @IsString() PROV_POLICY_DIR?: string;
  /** Where the attestation signing key is kept when PROV_SIGNING_KEY_FILE is not set: `<dir>/keys/query-gateway.pem`. */
  @IsString() PROV_DATA_DIR: string = '.provenance';
  /** The keyring that wraps the subject keys (the inference service's PROV_KEYRING_FILE); without it, `<PROV_DATA_DIR>/keyring.json`. */
  @IsOptional() @IsString() PROV_KEYRING_FILE?: string;
  /** A PKCS#8 PEM Ed25519 key for attestations; generated in PROV_DATA_DIR on first start when not set. */
  @IsOptional() @IsString() PROV_SIGNING_KEY_FILE?: string;
  /** The lineage explorer's build to serve at `/`; by default the workspace's dist/explorer-web. */
  @IsOptional() @IsString() PROV_EXPLORER_DIR?: string;
  /** How long SIGTERM or SIGINT may take: work not finished by then is abandoned, and the exit code is 1. */
  @IsInt() @Min(100) PROV_SHUTDOWN_TIMEOUT_MS: number = 5_000;
}
