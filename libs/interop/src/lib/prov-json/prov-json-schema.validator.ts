import type { ValidationProblem } from '@prov/contracts';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const SCHEMA_FILE = join(__dirname, '..', '..', '..', 'schemas', 'prov-json', 'prov-json.schema.json');

type Schema = { [key: string]: unknown };

/**
 * The W3C PROV-JSON schema as published is draft-03: a property says
 * `"required": true` itself. Draft-07 lists required properties on their
 * object instead; this moves each flag there, changing nothing else.
 */
function toDraft07(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toDraft07);
  if (typeof node !== 'object' || node === null) return node;
  const schema: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key === 'required' && typeof value === 'boolean') continue;
    schema[key] = toDraft07(value);
  }
  const properties = (node as Schema)['properties'];
  if (typeof properties === 'object' && properties !== null) {
    const required = Object.entries(properties as Record<string, Schema>)
      .filter(([, property]) => property?.['required'] === true)
      .map(([name]) => name);
    if (required.length > 0) schema['required'] = required;
  }
  return schema;
}

/**
 * The published schema names the specific entity of `specializationOf`
 * `prov:specializedEntity`; the submission's own text, PROV-N's
 * `specializationOf(specificEntity, generalEntity)` and the W3C reference
 * library (Python `prov`) name it `prov:specificEntity`, and a document
 * written the schema's way loses the relation when that library loads it.
 * The schema is read with the text's name.
 */
function withSpecificEntity(schema: Schema): Schema {
  const specialization = (schema['properties'] as Record<string, Schema>)['specializationOf'];
  const relation = specialization['additionalProperties'] as Schema;
  const { 'prov:specializedEntity': specific, ...others } = relation['properties'] as Record<string, Schema>;
  relation['properties'] = { 'prov:specificEntity': specific, ...others };
  return schema;
}

/** Validates documents against the vendored W3C PROV-JSON schema (schemas/prov-json, see SOURCE.md). */
export class ProvJsonSchemaValidator {
  private readonly validateDocument: ValidateFunction;

  constructor() {
    // The published file has trailing commas, which YAML 1.2 flow mappings accept and JSON.parse does not.
    const published = parse(readFileSync(SCHEMA_FILE, 'utf8')) as unknown;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    this.validateDocument = ajv.compile(toDraft07(withSpecificEntity(published as Schema)) as Schema);
  }

  validate(document: unknown): ValidationProblem[] {
    if (this.validateDocument(document)) return [];
    return (this.validateDocument.errors ?? []).map((error) => ({
      path: error.instancePath || '/',
      problem: `${error.message ?? 'is invalid'}${error.keyword === 'required' ? '' : ` (${error.schemaPath})`}`,
    }));
  }
}
