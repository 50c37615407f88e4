import { ApiParam, ApiResponse } from '@nestjs/swagger';
import { ApiErrorBodySchema } from '../errors/api-error.schema';

/** The answer a route sends with `status`: an SDK answer type, by name (its schema is `answers.<name>`). */
export const ApiAnswer = (status: number, answer: string, description: string) =>
  ApiResponse({ status, description, schema: { $ref: `#/components/schemas/answers.${answer}` } });

/** A path parameter and the pattern every value must match (an id of the domain, a name, a version). */
export const ApiPathParam = (name: string, pattern: RegExp, description: string) =>
  ApiParam({ name, required: true, description, schema: { type: 'string', pattern: pattern.source } });

/**
 * A refusal particular to a route (a 404 for an entity its query names, a
 * 409, a 422), and why. The refusals every route shares are added to each
 * by completeOpenApiDocument.
 */
export const ApiRefusal = (status: number, description: string) =>
  ApiResponse({ status, description, type: ApiErrorBodySchema });
