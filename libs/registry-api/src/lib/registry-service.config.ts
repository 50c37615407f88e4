import { ProducerServiceConfig } from '@prov/http-service';
import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

export class RegistryServiceConfig extends ProducerServiceConfig {
  @IsInt() @Min(1) @Max(65535) PROV_REGISTRY_PORT: number = 8082;
  /** The provenance policies promotions are checked against (YAML or JSON files); unset: none. */
  @IsOptional() @IsString() PROV_POLICY_DIR?: string;
  /** The query gateway that evaluates a policy against the lineage it serves. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) PROV_GATEWAY_URL: string = 'http://127.0.0.1:8085';
  /** The registry's own API key at the gateway (any role reads completeness); needed with PROV_POLICY_DIR. */
  @IsOptional() @IsString() PROV_GATEWAY_API_KEY?: string;
}
