import { OmitType } from '@nestjs/swagger';
import { PipelineRegisteredV1 } from '@prov/contracts';

/** POST /v1/pipelines: the pipeline id is `pipeline:<name>@<version>`. */
export class RegisterPipelineRequest extends OmitType(PipelineRegisteredV1, ['pipelineId'] as const) {}
