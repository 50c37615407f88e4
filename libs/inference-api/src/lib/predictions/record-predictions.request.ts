import { OmitType } from '@nestjs/swagger';
import { IsDigest, IsEntityId, MAX_PREDICTIONS_PER_BATCH, PredictionRecordV2 } from '@prov/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches, ValidateNested } from 'class-validator';

const CLIENT_ID = /^(pred:)?[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const DEPLOYMENT = /^(deployment:)?[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * A prediction as the serving process sends it: the recorded fields, with its
 * own request id. With a `dataSubject`, the service seals `output` and
 * `featureSnapshot` with that subject's key before they reach the log.
 */
export class PredictionItem extends OmitType(PredictionRecordV2, [
  'predictionId',
  'sealedOutput',
  'sealedFeatureSnapshot',
] as const) {
  /** The client's request id (`pred:` is added when absent). */
  @Matches(CLIENT_ID, { message: 'id must be a request id of letters, digits, ".", "_", ":" or "-" (at most 200)' })
  id!: string;
}

/** POST /v1/predictions:batch: up to 10,000 predictions of one deployment and one loaded artifact. */
export class RecordPredictionsRequest {
  /** `deployment:<name>` or the bare name. */
  @Matches(DEPLOYMENT, { message: 'deployment must be a deployment name or id (deployment:<name>)' })
  deployment!: string;
  @IsEntityId('modelVersion') modelVersionId!: string;
  /** Digest of the artifact the serving process actually loaded. */
  @IsDigest() artifactDigest!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PREDICTIONS_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => PredictionItem)
  predictions!: PredictionItem[];
}

/** The validated body's shape, as an interface so the global class-validator pipe leaves it to the compiled one. */
export interface RecordPredictionsBody {
  deployment: string;
  modelVersionId: string;
  artifactDigest: string;
  predictions: Array<{
    id: string;
    at: string;
    inputDigest: string;
    outputDigest?: string;
    output?: unknown;
    featureSnapshot?: string;
    dataSubject?: string;
  }>;
}
