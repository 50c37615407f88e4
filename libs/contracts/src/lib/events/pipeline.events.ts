import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsContentReference, IsEntityId, IsJsonObject, IsName, IsVersionLabel } from '../validation/validators';
import type { JsonObject } from '../validation/json-value';

export class PipelineStep {
  @IsString() @Length(1, 256) name!: string;
  @IsString() @Length(1, 1024) transform!: string;
  @IsOptional() @IsJsonObject() params?: JsonObject;
}

export class PipelineFeature {
  @IsString() @Length(1, 256) name!: string;
  @IsString() @Length(1, 1024) transform!: string;
  @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) @Length(1, 256, { each: true }) sourceColumns!: string[];
}

/** `pipeline.registered` v1: a versioned preprocessing / feature pipeline. */
export class PipelineRegisteredV1 {
  @IsEntityId('pipeline') pipelineId!: string;
  @IsName() name!: string;
  @IsVersionLabel() version!: string;
  @IsContentReference() codeDigest!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PipelineStep)
  steps!: PipelineStep[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => PipelineFeature)
  features?: PipelineFeature[];
}
