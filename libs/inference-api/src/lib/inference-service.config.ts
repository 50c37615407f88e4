import { ProducerServiceConfig } from '@prov/http-service';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DEFAULT_RECENT_PREDICTIONS } from './predictions/recent-predictions';

export class InferenceServiceConfig extends ProducerServiceConfig {
  @IsInt() @Min(1) @Max(65535) PROV_INFERENCE_PORT: number = 8083;
  /** Provenance policies, read at start: deployments whose policy says `outputs: digest-only` get raw outputs refused. */
  @IsOptional() @IsString() PROV_POLICY_DIR?: string;
  /** Where the data subjects' keys are kept (the views' store); without it, in `<PROV_DATA_DIR>/subject-keys`. */
  @IsOptional() @IsString() MONGODB_URI?: string;
  @IsString() MONGODB_DATABASE: string = 'provenance';
  /** How many recently published prediction ids are remembered to answer re-sends (0: none, every id counts as new). */
  @IsInt() @Min(0) PROV_RECENT_PREDICTIONS: number = DEFAULT_RECENT_PREDICTIONS;
}
