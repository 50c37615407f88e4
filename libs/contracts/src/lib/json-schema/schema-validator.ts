import Ajv, { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { findNonJsonValue, joinPath } from '../validation/json-value';
import type { ValidationProblem } from '../validation/validation-problem';
import { EVENT_CATALOG, type EventType } from '../catalog/event-catalog';
import { validatedClassSchemas } from './build-event-json-schemas';

export type SchemaValidator = (value: unknown) => ValidationProblem[];

let ajv: Ajv | undefined;
let definitions: Record<string, Record<string, unknown>> | undefined;

/**
 * A compiled validator for a class-validator class, through the JSON Schema
 * generated from its declarations: the same rules, checked at the speed of
 * compiled code. For hot paths (prediction batches, thousands of nested
 * records per request) where running class-validator per object is too slow.
 * Also refuses what JSON Schema cannot see: lone surrogates, and `__proto__` keys.
 */
export function compileClassValidator(classRef: { name: string }, basePath = ''): SchemaValidator {
  definitions ??= validatedClassSchemas('#/definitions/');
  if (!definitions[classRef.name]) throw new Error(`${classRef.name} has no validation declarations`);
  ajv ??= addFormats(new Ajv({ allErrors: true, strict: false }));
  const validate = ajv.compile({ $ref: `#/definitions/${classRef.name}`, definitions });
  return (value) => {
    if (!validate(value)) return (validate.errors ?? []).map((error) => toProblem(error, basePath));
    const nonJson = findNonJsonValue(value, basePath);
    return nonJson ? [nonJson] : [];
  };
}

/**
 * The compiled validator of the current schema version of an event type's
 * payload (the hot path of producers and the projector; older versions go
 * through class-validator). Taken from the catalog, so it follows a new version.
 */
export function compileCurrentPayloadValidator(type: EventType): SchemaValidator {
  const definition = EVENT_CATALOG[type];
  return compileClassValidator(definition.versions[definition.currentVersion], 'payload');
}

function toProblem(error: ErrorObject, basePath: string): ValidationProblem {
  let path = basePath;
  for (const segment of error.instancePath.split('/').slice(1)) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    path = joinPath(path, /^\d+$/.test(key) ? Number(key) : key);
  }
  const property = (error.params as { additionalProperty?: string; missingProperty?: string }) ?? {};
  if (error.keyword === 'additionalProperties' && property.additionalProperty) {
    return {
      path: joinPath(path, property.additionalProperty),
      problem: `property ${property.additionalProperty} should not exist`,
    };
  }
  if (error.keyword === 'required' && property.missingProperty) {
    return { path: joinPath(path, property.missingProperty), problem: `${property.missingProperty} is required` };
  }
  const name = path.split(/[.[]/).pop()?.replace(/[\]"]/g, '') || 'value';
  return { path, problem: `${name} ${error.message ?? 'is not valid'}` };
}
