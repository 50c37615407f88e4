import { ProducerServiceConfig } from '@prov/http-service';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class InferenceServiceConfig extends ProducerServiceConfig {
  @IsInt() @Min(1) @Max(65535) PROV_INFERENCE_PORT: number = 8083;
  /** Provenance policies, read at start: deployments whose policy says `outputs: digest-only` get raw outputs refused. */
  @IsOptional() @IsString() PROV_POLICY_DIR?: string;
  /** Where the data subjects' keys are kept (the views' store); without it, in `<PROV_DATA_DIR>/subject-keys`. */
  @IsOptional() @IsString() MONGODB_URI?: string;
  @IsString() MONGODB_DATABASE: string = 'provenance';
}
