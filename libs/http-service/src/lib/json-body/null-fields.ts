import type { ValidationProblem } from '@prov/contracts';

type Schema = Record<string, unknown>;

/**
 * The fields of a body that are null where its schema has no null: an
 * optional field is left out, never sent as null (class-validator's
 * IsOptional would let null through, and it would be recorded as sent).
 */
export function nullFields(
  value: unknown,
  schema: Schema,
  schemas: Record<string, Schema>,
  path = '',
): ValidationProblem[] {
  const resolved = resolve(schema, schemas);
  if (value === null)
    return allowsNull(resolved, schemas)
      ? []
      : [{ path: path || '(body)', problem: 'must not be null (leave an optional field out)' }];
  if (Array.isArray(value)) {
    const items = resolved['items'] as Schema | undefined;
    return items ? value.flatMap((item, i) => nullFields(item, items, schemas, `${path}[${i}]`)) : [];
  }
  if (typeof value !== 'object') return [];
  const properties = (resolved['properties'] ?? {}) as Record<string, Schema>;
  const additional = resolved['additionalProperties'];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, field]) => {
    const fieldSchema =
      properties[key] ?? (typeof additional === 'object' && additional !== null ? (additional as Schema) : undefined);
    return fieldSchema ? nullFields(field, fieldSchema, schemas, path ? `${path}.${key}` : key) : [];
  });
}

function resolve(schema: Schema, schemas: Record<string, Schema>): Schema {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return schema;
  const target = schemas[ref.slice(ref.lastIndexOf('/') + 1)];
  return target ? resolve(target, schemas) : schema;
}

function allowsNull(schema: Schema, schemas: Record<string, Schema>): boolean {
  const alternatives = [...((schema['anyOf'] as Schema[]) ?? []), ...((schema['oneOf'] as Schema[]) ?? [])];
  if (alternatives.length > 0) return alternatives.some((s) => allowsNull(resolve(s, schemas), schemas));
  const type = schema['type'];
  if (type === undefined) return schema['enum'] === undefined || (schema['enum'] as unknown[]).includes(null);
  return type === 'null' || (Array.isArray(type) && type.includes('null'));
}
