// Regenerates libs/governance/schemas/provenance-policy.schema.json from the policy classes:
//   npx nx run governance:generate-schemas
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { POLICY_SCHEMA_FILE_NAME, buildPolicyJsonSchema } from '../src/lib/json-schema/policy-json-schema';

async function main(): Promise<void> {
  const file = join(__dirname, '..', 'schemas', POLICY_SCHEMA_FILE_NAME);
  // Written as the workspace's Prettier would write it, so formatting the lib leaves it unchanged.
  const text = await format(JSON.stringify(buildPolicyJsonSchema(), null, 2), {
    ...(await resolveConfig(file)),
    filepath: file,
  });
  writeFileSync(file, text);
  console.log(`wrote libs/governance/schemas/${POLICY_SCHEMA_FILE_NAME}`);
}

void main();
