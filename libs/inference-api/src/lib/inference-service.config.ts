import { ProducerServiceConfig } from '@prov/http-service';
import { IsInt, Max, Min } from 'class-validator';

export class InferenceServiceConfig extends ProducerServiceConfig {
  @IsInt() @Min(1) @Max(65535) PROV_INFERENCE_PORT: number = 8083;
}
