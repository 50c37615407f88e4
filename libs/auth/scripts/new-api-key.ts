// Creates an API key: prints the token (give it to the client, it is shown
// once) and the record to add to the services' PROV_API_KEYS / key file.
//   npm run api-key -- <principal> <role>[,<role>...]
import { ROLES, generateApiKey, isRole } from '../src';

const [principal, roleList] = process.argv.slice(2);
const roles = (roleList ?? '').split(',').filter(Boolean);
if (!principal || roles.length === 0 || !roles.every(isRole)) {
  console.error(`usage: npm run api-key -- <principal> <role>[,<role>...]   (roles: ${ROLES.join(', ')})`);
  process.exit(2);
}
const { token, record } = generateApiKey(principal, roles.filter(isRole));
console.log(`token (give it to ${principal}; it is not stored anywhere):\n  ${token}\n`);
console.log(`record (add it to the "keys" of PROV_API_KEYS or PROV_API_KEYS_FILE):\n  ${JSON.stringify(record)}`);
