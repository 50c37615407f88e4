import { ApiProperty } from '@nestjs/swagger';
import { ApiErrorSchema, ApiProblemSchema } from '@prov/http-service';
import { PREDICTION_CONTENT_FIELDS, type PredictionContentField } from './prediction-content';

/** 201: the predictions not recorded before, published as one batch. */
export class PredictionsRecordedSchema {
  @ApiProperty({ description: 'How many predictions this request published', example: 1000 })
  accepted!: number;
  @ApiProperty({ example: 'batch:01933c8e-8a4f-7c2e-9b1d-5f6a7b8c9d0e' }) batchId!: string;
  @ApiProperty({
    type: [String],
    description: 'Ids recorded before with the same content, skipped (the earlier record stands)',
    example: [],
  })
  duplicates!: string[];
}

/** 200: every prediction was recorded before with the same content; nothing was published. */
export class PredictionsAlreadyRecordedSchema {
  @ApiProperty({ enum: [0] }) accepted!: 0;
  @ApiProperty({ enum: [true] }) duplicate!: true;
  @ApiProperty({ type: [String], example: ['pred:req-1', 'pred:req-2'] }) duplicates!: string[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The batch that recorded them when one batch did, else null',
  })
  batchId!: string | null;
}

/** One prediction of a 409: where the request holds it, and what differs from the record that stands. */
export class PredictionConflictSchema extends ApiProblemSchema {
  @ApiProperty({ example: 'predictions[3]' }) override path!: string;
  @ApiProperty({ example: 'pred:req-3' }) predictionId!: string;
  @ApiProperty({ enum: PREDICTION_CONTENT_FIELDS, isArray: true, example: ['modelVersionId'] })
  fields!: PredictionContentField[];
  @ApiProperty({ description: 'The batch of the record that stands' }) earlierBatchId!: string;
}

export class PredictionConflictErrorSchema extends ApiErrorSchema {
  @ApiProperty({ example: 'conflict' }) override code!: string;
  @ApiProperty({ example: '1 prediction(s) contradict earlier records' }) override message!: string;
  @ApiProperty({ type: () => [PredictionConflictSchema] }) override details!: PredictionConflictSchema[];
}

/** 409: the API error shape, each detail a prediction recorded before with other content. */
export class PredictionConflictBodySchema {
  @ApiProperty({ type: () => PredictionConflictErrorSchema }) error!: PredictionConflictErrorSchema;
}
