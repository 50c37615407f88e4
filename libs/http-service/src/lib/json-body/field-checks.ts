import type { ValidationProblem } from '@prov/contracts';

type Schema = Record<string, unknown>;

/** 64 KiB: a hyperparameter or a step parameter is a setting, not data; data belongs behind its digest. */
export const DEFAULT_MAX_FIELD_BYTES = 64 * 1024;

/** What a body's fields break beyond their validation rules. */
export interface FieldProblems {
  /** Fields that are null where the schema has no null. */
  nulls: ValidationProblem[];
  /** Values of free-form maps (any JSON) that take more than the allowed bytes as JSON. */
  tooLarge: ValidationProblem[];
}

/**
 * Walks a body along its schema: an optional field is left out, never sent
 * as null (class-validator's IsOptional would let null through, and it would
 * be recorded as sent); and a value a free-form map holds (a hyperparameter,
 * a pipeline step's parameter: any JSON) takes at most `maxFieldBytes` as
 * JSON, since every event is kept in the log and replayed by every rebuild.
 */
export function fieldProblems(
  value: unknown,
  schema: Schema,
  schemas: Record<string, Schema>,
  maxFieldBytes: number,
): FieldProblems {
  const found: FieldProblems = { nulls: [], tooLarge: [] };
  walk(value, schema, '');
  return found;

  function walk(node: unknown, nodeSchema: Schema, path: string): void {
    const resolved = resolve(nodeSchema, schemas);
    if (node === null) {
      if (!allowsNull(resolved, schemas))
        found.nulls.push({ path: path || '(body)', problem: 'must not be null (leave an optional field out)' });
      return;
    }
    if (Array.isArray(node)) {
      const items = resolved['items'] as Schema | undefined;
      if (items) node.forEach((item, i) => walk(item, items, `${path}[${i}]`));
      return;
    }
    if (typeof node !== 'object') return;
    const properties = (resolved['properties'] ?? {}) as Record<string, Schema>;
    const additional = resolved['additionalProperties'];
    for (const [key, field] of Object.entries(node as Record<string, unknown>)) {
      const fieldPath = path ? `${path}.${key}` : key;
      const fieldSchema = properties[key] ?? (isSchema(additional) ? additional : undefined);
      if (!fieldSchema) continue;
      if (!properties[key] && isAnyJson(fieldSchema)) {
        const bytes = Buffer.byteLength(JSON.stringify(field), 'utf8');
        if (bytes > maxFieldBytes) {
          found.tooLarge.push({
            path: fieldPath,
            problem: `takes ${bytes} bytes as JSON, more than the ${maxFieldBytes} allowed (PROV_MAX_FIELD_BYTES)`,
          });
        }
        continue;
      }
      walk(field, fieldSchema, fieldPath);
    }
  }
}

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null;

/** A schema that takes any JSON value (`{}`): what a free-form map holds. */
const isAnyJson = (schema: Schema) => Object.keys(schema).length === 0;

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
