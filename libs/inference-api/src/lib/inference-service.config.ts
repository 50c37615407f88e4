import { ProducerServiceConfig } from '@prov/http-service';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DEFAULT_RECENT_PREDICTIONS } from './predictions/recent-predictions';
import { DEFAULT_MAX_OUTPUT_BYTES } from './predictions/output-size';

export class InferenceServiceConfig extends ProducerServiceConfig {
  @IsInt() @Min(1) @Max(65535) PROV_INFERENCE_PORT: number = 8083;
  /** Provenance policies, read at start: deployments whose policy says `outputs: digest-only` get raw outputs refused. */
  @IsOptional() @IsString() PROV_POLICY_DIR?: string;
  /** Where the data subjects' keys are kept (the views' store); without it, in `<PROV_DATA_DIR>/subject-keys`. */
  @IsOptional() @IsString() MONGODB_URI?: string;
  @IsString() MONGODB_DATABASE: string = 'provenance';
  /**
   * The keyring of key-encryption keys that wrap the subject keys, never in the store or the log; without it,
   * `<PROV_DATA_DIR>/keyring.json`. The gateway must read the same file (a mounted secret in production).
   */
  @IsOptional() @IsString() PROV_KEYRING_FILE?: string;
  /** How many recently published prediction ids are remembered to answer re-sends (0: none, every id counts as new). */
  @IsInt() @Min(0) PROV_RECENT_PREDICTIONS: number = DEFAULT_RECENT_PREDICTIONS;
  /** Largest raw `output` of one prediction, in bytes of its JSON: every rebuild replays it, so it is bounded. */
  @IsInt() @Min(1) @Max(16 * 1024 * 1024) PROV_MAX_OUTPUT_BYTES: number = DEFAULT_MAX_OUTPUT_BYTES;
}
