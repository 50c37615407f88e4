import type { INestApplication, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from '../auth/auth.decorators';
import { controllerHandlers } from './controller-handlers';

type Schema = Record<string, unknown>;
type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema; description?: string };

const ERROR_BODY = { $ref: '#/components/schemas/ApiErrorBodySchema' };
const ANSWER_REF = '#/components/schemas/answers.';

/** What the document needs to know of a route's handler that Nest's scanner does not say. */
interface HandlerFacts {
  isPublic: boolean;
  roles: string[];
  /** The class of the handler's whole `@Query()` object, when it has one. */
  query?: Type;
}

/**
 * Completes the document Nest's scanner writes, so that it describes every
 * answer a route can send:
 * - the query parameters of a route's `@Query()` class, from its validation
 *   rules (the scanner reads only `@ApiProperty`, which these classes do not
 *   repeat);
 * - the refusals every route shares, where they apply: 400 (a route that
 *   takes input), 401, 403 (a route that needs a role), 404 (an id in the
 *   path names nothing recorded), 413 and 415 (a route that takes a body),
 *   431 (a route with parameters: a request line over Node's 16 KiB),
 *   503 (a store or the event log did not answer); a route's own
 *   `@ApiRefusal`s stand;
 * - the answer schemas the routes name (`@ApiAnswer`), with every schema
 *   they refer to.
 * The document is OpenAPI 3.1, whose schemas are JSON Schema 2020-12, as the
 * answer schemas are.
 */
export function completeOpenApiDocument(
  document: OpenAPIObject,
  app: INestApplication,
  requestSchemas: Record<string, Schema>,
  answerSchemas: Readonly<Record<string, Schema>>,
): OpenAPIObject {
  const facts = handlerFacts(app);
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation?.operationId) continue;
      const handler = facts.get(operation.operationId);
      if (!handler) continue;
      if (handler.query) addQueryParameters(operation, requestSchemas[handler.query.name]);
      addSharedRefusals(operation, handler);
    }
  }
  const schemas = { ...document.components?.schemas } as Record<string, Schema>;
  for (const name of answersReferredTo(document, answerSchemas)) schemas[`answers.${name}`] = answerSchemas[name];
  return { ...document, openapi: '3.1.0', components: { ...document.components, schemas } };
}

function handlerFacts(app: INestApplication): Map<string, HandlerFacts> {
  const facts = new Map<string, HandlerFacts>();
  for (const { controller, method, handler, parameterTypes } of controllerHandlers(app)) {
    const metadata = <T>(key: string): T | undefined =>
      Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
    const args: Record<string, { index: number; data?: unknown }> =
      Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {};
    const query = Object.entries(args).find(
      ([key, arg]) => key.split(':')[0] === String(RouteParamtypes.QUERY) && arg.data === undefined,
    );
    const queryType = query ? parameterTypes[query[1].index] : undefined;
    facts.set(`${controller.name}_${method}`, {
      isPublic: metadata<boolean>(PUBLIC_ROUTE) === true,
      roles: metadata<string[]>(REQUIRED_ROLES) ?? [],
      query: typeof queryType === 'function' && queryType !== Object ? (queryType as Type) : undefined,
    });
  }
  return facts;
}

function addQueryParameters(operation: Operation, schema: Schema | undefined): void {
  if (!schema) return;
  const parameters = (operation.parameters ?? []) as Parameter[];
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
  for (const [name, property] of Object.entries(properties)) {
    if (parameters.some((p) => p.name === name && p.in === 'query')) continue;
    const { description, ...propertySchema } = property;
    parameters.push({
      name,
      in: 'query',
      required: required.has(name),
      schema: propertySchema,
      ...(typeof description === 'string' ? { description } : {}),
    });
  }
  operation.parameters = parameters as Operation['parameters'];
}

function addSharedRefusals(operation: Operation, handler: HandlerFacts): void {
  const parameters = (operation.parameters ?? []) as Parameter[];
  const takesBody = operation.requestBody !== undefined;
  const shared: Array<[number, string, boolean]> = [
    [400, 'The request is not valid: each problem with its path', takesBody || parameters.length > 0],
    [401, 'No valid API key', !handler.isPublic],
    [
      403,
      `The API key has none of the roles ${handler.roles.join(', ')}`,
      !handler.isPublic && handler.roles.length > 0,
    ],
    [404, 'Nothing is recorded under an id the path names', parameters.some((p) => p.in === 'path')],
    [413, 'The body is over the size limit', takesBody],
    [415, 'The body is not JSON (Content-Type application/json), or is encoded other than gzip or deflate', takesBody],
    [431, 'The request line and headers are over 16 KiB (a query or path too long)', parameters.length > 0],
    [503, 'A store or the event log did not answer; nothing was changed, retry', true],
  ];
  const responses = operation.responses as Record<string, { description: string; content?: unknown }>;
  for (const [status, description, applies] of shared) {
    if (applies && !responses[status]) {
      responses[status] = { description, content: { 'application/json': { schema: ERROR_BODY } } };
    }
  }
}

/** The answer schemas the document refers to, and those they refer to, by name. */
function answersReferredTo(document: OpenAPIObject, answerSchemas: Readonly<Record<string, Schema>>): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(ANSWER_REF)) {
        const name = value.slice(ANSWER_REF.length);
        if (found.has(name)) continue;
        const schema = answerSchemas[name];
        if (!schema) throw new Error(`the OpenAPI document refers to an answer schema that does not exist: ${name}`);
        found.add(name);
        visit(schema);
      } else {
        visit(value);
      }
    }
  };
  visit(document.paths);
  return found;
}
