// Writes libs/sdk/src/lib/answers.schema.json from the SDK's answer types:
//   npx nx run sdk:answer-schemas
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { ANSWER_SCHEMAS_FILE, generateAnswerSchemas } from './answer-schemas.generator';

async function main(): Promise<void> {
  const options = { ...(await resolveConfig(ANSWER_SCHEMAS_FILE)), filepath: ANSWER_SCHEMAS_FILE };
  const text = await format(JSON.stringify(generateAnswerSchemas(), null, 2), options);
  writeFileSync(ANSWER_SCHEMAS_FILE, text);
  console.log(`wrote ${ANSWER_SCHEMAS_FILE}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
