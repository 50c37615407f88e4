import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { EVENT_CATALOG } from '../catalog/event-catalog';
import { EventEnvelopeFields } from '../envelope/event-envelope.schema';
import { customValidatorSchemas } from './custom-validator-schemas';
import { eventJsonSchemaFileName } from './schema-file-name';

type Schema = Record<string, unknown>;

// class-transformer ships its metadata storage's runtime under cjs/ and its types under types/;
// the generator needs that storage to follow @Type() to nested classes.
const { defaultMetadataStorage } =
  require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/**
 * Builds one self-contained JSON Schema (draft-07) per event type and schema
 * version, from the same class-validator declarations the platform validates
 * with, so that producers in other languages validate exactly what we accept.
 */
export function buildEventJsonSchemas(): Record<string, Schema> {
  const definitions = validatedClassSchemas('#/definitions/');

  const envelope = definitions[EventEnvelopeFields.name];
  const schemas: Record<string, Schema> = {};
  for (const definition of Object.values(EVENT_CATALOG)) {
    for (const [version, payloadClass] of Object.entries(definition.versions)) {
      const schemaVersion = Number(version);
      const properties = {
        ...(envelope['properties'] as Schema),
        type: { const: definition.type },
        schemaVersion: { const: schemaVersion },
        payload: { $ref: `#/definitions/${payloadClass.name}` },
      };
      delete (properties as Schema)['upcastFrom'];
      const root: Schema = {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: `urn:provenance:event:${definition.type}:v${schemaVersion}`,
        title: `${definition.type} v${schemaVersion}`,
        description:
          definition.description +
          (schemaVersion < definition.currentVersion
            ? ` (superseded by v${definition.currentVersion}; still accepted)`
            : ''),
        type: 'object',
        additionalProperties: false,
        required: (envelope['required'] as string[]).filter((name) => name !== 'upcastFrom'),
        properties,
      };
      root['definitions'] = reachableDefinitions(root, definitions);
      schemas[eventJsonSchemaFileName(definition.type, schemaVersion)] = root;
    }
  }
  return schemas;
}

/**
 * JSON Schema of every class-validator class loaded so far (contracts and
 * request DTOs alike), keyed by class name: what OpenAPI documents show.
 * Unknown fields are refused by validation (forbidNonWhitelisted), so by
 * the schemas too.
 */
export function validatedClassSchemas(refPointerPrefix: string): Record<string, Schema> {
  const schemas = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: customValidatorSchemas,
    refPointerPrefix,
  }) as Record<string, Schema>;
  for (const schema of Object.values(schemas)) schema['additionalProperties'] = false;
  return schemas;
}

/** Only the definitions a schema refers to, directly or through other definitions, sorted by name. */
function reachableDefinitions(root: Schema, all: Record<string, Schema>): Record<string, Schema> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.replace('#/definitions/', '');
        if (!found.has(name)) {
          found.add(name);
          visit(all[name]);
        }
      } else {
        visit(value);
      }
    }
  };
  visit(root);
  return Object.fromEntries([...found].sort().map((name) => [name, all[name]]));
}
