export { PolicyCatalog } from './lib/policy-catalog';
