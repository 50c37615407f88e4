import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The JSON Schema (2020-12, as OpenAPI 3.1 reads it) of every answer the
 * services send, by name, generated from the answer types of this SDK
 * (`npx nx run sdk:answer-schemas`; a spec fails when it is out of date).
 * They refer to one another as `#/components/schemas/answers.<Name>`.
 */
export const answerSchemas: Readonly<Record<string, Record<string, unknown>>> = JSON.parse(
  readFileSync(join(__dirname, 'answers.schema.json'), 'utf8'),
);
