// Regenerates libs/contracts/schemas/ from the contract classes:
//   npx nx run contracts:generate-schemas
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEventJsonSchemas } from '../src/lib/json-schema/build-event-json-schemas';

const directory = join(__dirname, '..', 'schemas');
mkdirSync(directory, { recursive: true });
for (const stale of readdirSync(directory).filter((name) => name.endsWith('.schema.json'))) {
  rmSync(join(directory, stale));
}
const schemas = buildEventJsonSchemas();
for (const [fileName, schema] of Object.entries(schemas)) {
  writeFileSync(join(directory, fileName), JSON.stringify(schema, null, 2) + '\n');
}
console.log(`wrote ${Object.keys(schemas).length} event schemas to libs/contracts/schemas`);
