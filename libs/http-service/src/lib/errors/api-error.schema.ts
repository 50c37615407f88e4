import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI schemas of ApiErrorBody, for routes to name in their documented error answers. */
export class ApiProblemSchema {
  @ApiProperty({ example: 'predictions[2].inputDigest' }) path!: string;
  @ApiProperty() problem!: string;
}

export class ApiErrorSchema {
  @ApiProperty({ example: 'invalid_request' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: () => [ApiProblemSchema] }) details!: ApiProblemSchema[];
}

/** `{ error: { code, message, details: [{ path, problem }] } }`. */
export class ApiErrorBodySchema {
  @ApiProperty({ type: () => ApiErrorSchema }) error!: ApiErrorSchema;
}
