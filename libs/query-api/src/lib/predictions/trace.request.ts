import { IsIn, IsOptional } from 'class-validator';

export class TraceRequest {
  /** `standard`: data, pipeline and model; `full` adds hyperparameters, seeds, sampling, environment, metrics, outputs. */
  @IsOptional() @IsIn(['standard', 'full']) level?: 'standard' | 'full';
}
