import { ProducerServiceConfig } from '@prov/http-service';
import { IsInt, Max, Min } from 'class-validator';

export class RegistryServiceConfig extends ProducerServiceConfig {
  @IsInt() @Min(1) @Max(65535) PROV_REGISTRY_PORT: number = 8082;
}
