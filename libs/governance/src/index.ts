export {
  FlaggedSliceRule,
  OUTPUT_CAPTURES,
  POLICY_API_VERSION,
  POLICY_KIND,
  PolicyMetadata,
  PolicyScope,
  PolicySpec,
  ProvenancePolicy,
  REQUIRED_FIELDS,
  RequiredEvaluation,
} from './lib/policy/provenance-policy.document';
export type { OutputCapture, RequiredField } from './lib/policy/provenance-policy.document';
export { parsePolicy, validatePolicy } from './lib/policy/policy.parser';
export { PolicyError } from './lib/policy/policy.errors';
export { policyDigest } from './lib/policy/policy-digest';
export { policyApplies } from './lib/policy/policy-scope';
export type { PolicyTarget } from './lib/policy/policy-scope';
export { evaluatePolicy } from './lib/evaluation/policy-evaluation';
export type { EvaluationContext, PolicyEvaluation } from './lib/evaluation/policy-evaluation';
export type { RequirementOutcome } from './lib/evaluation/requirement-outcome';
export { POLICY_SCHEMA_FILE_NAME, buildPolicyJsonSchema } from './lib/json-schema/policy-json-schema';
export { digestOnlyPolicies, rawOutputProblems } from './lib/serving/output-capture';
