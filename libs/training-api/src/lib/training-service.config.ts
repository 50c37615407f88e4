import { ProducerServiceConfig } from '@prov/http-service';
import { IsInt, Max, Min } from 'class-validator';

export class TrainingServiceConfig extends ProducerServiceConfig {
  @IsInt() @Min(1) @Max(65535) PROV_TRAINING_PORT: number = 8081;
}
